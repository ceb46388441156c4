// The release reconciler. Level-triggered: it reads the Release from the informer cache, works
// out what its status should say, and writes it through the status subresource only when that
// differs. Resolution runs until Resolved=True and never again (the apiserver then freezes
// status.components); verification runs once resolved, until Verified=True for the generation.
import type { Condition } from "../../crds/meta.ts";
import { ReleaseConditions as C, type Release, type ReleaseStatus } from "../../crds/release.ts";
import type { Secret } from "../../crds/secret.ts";
import type { SignatureVerifier } from "../../sdk/plugins/signature-verifier.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import type { EventRecorder, Logger, Reconciler, Request, Result } from "../runtime/index.ts";
import { findCondition, isTrue, recordNotes, removeCondition, setCondition } from "../runtime/index.ts";
import { releaseEvents } from "./events.ts";
import { failureMessage } from "./failures.ts";
import type { RegistryClient, PullCredentials } from "../oci/index.ts";
import { loadPullCredentials } from "../oci/index.ts";
import { resolveComponents } from "./resolve.ts";
import type { RetryClass, RetrySchedule } from "./retry.ts";
import { compactStatus, keepVerdictTimes, sameStatus, withReady } from "./status.ts";
import { verifyComponents, VerifyReasons } from "./verify.ts";

/** What the reconciler reads and writes through. */
export interface ReleaseReconcilerDeps {
  /** The Release as the informer cache has it. */
  get(namespace: string, name: string): Release | undefined;
  releases: Pick<ResourceClient<Release>, "updateStatus">;
  secrets: Pick<ResourceClient<Secret>, "get">;
  registry: RegistryClient;
  verifiers: ReadonlyMap<string, SignatureVerifier>;
  retry: RetrySchedule;
  /** Where status transitions are told as events (Manager.recorder); none when absent. */
  events?: EventRecorder;
  log: Logger;
}

/** Resolves and verifies Releases. */
export class ReleaseReconciler implements Reconciler {
  constructor(private readonly deps: ReleaseReconcilerDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const { deps } = this;
    const key = `${namespace}/${name}`;
    const release = deps.get(namespace, name);
    if (!release || release.metadata.deletionTimestamp) return deps.retry.forget(key);
    const now = new Date().toISOString();
    const generation = release.metadata.generation ?? 0;
    const old: ReleaseStatus = release.status ?? {};
    const next: ReleaseStatus = { ...old };
    let conditions: Condition[] = [...(old.conditions ?? [])];
    let retry: RetryClass | undefined;
    const later = (kind: RetryClass) => (retry = retry === "transient" || kind === "transient" ? "transient" : "slow");
    let pulls: Promise<PullCredentials> | undefined;
    const pullCredentials = () =>
      (pulls ??= loadPullCredentials(deps.secrets, namespace, release.spec.imagePullSecrets ?? []));

    if (!isTrue(conditions, C.Resolved)) {
      const started = performance.now();
      const r = await resolveComponents(release.spec.components, old.components, {
        registry: deps.registry,
        pullCredentials,
        now,
      });
      next.components = r.components;
      if (r.failures.length === 0) {
        next.phase = "Resolved";
        next.resolvedAt = now;
        const n = r.components.length;
        conditions = setCondition(
          conditions,
          {
            type: C.Resolved,
            status: "True",
            reason: "Resolved",
            message: `${n} component${n === 1 ? "" : "s"} pinned to digests`,
            observedGeneration: generation,
          },
          now,
        );
        const digests = r.components.map((c) => ({ name: c.name, image: c.image, digest: c.digest }));
        deps.log.info("release resolved", {
          release: key,
          components: digests,
          durationMs: Math.round(performance.now() - started),
        });
      } else {
        const transient = r.failures.some((f) => f.transient);
        next.phase = transient ? "Resolving" : "Failed";
        const message = failureMessage(r.failures);
        conditions = setCondition(
          conditions,
          { type: C.Resolved, status: "False", reason: r.failures[0].reason, message, observedGeneration: generation },
          now,
        );
        later(transient ? "transient" : "slow");
        deps.log.info("release not resolved", { release: key, reason: r.failures[0].reason, message });
      }
    }

    const policy = release.spec.verification;
    const verified = findCondition(conditions, C.Verified);
    if (!policy) {
      conditions = removeCondition(conditions, C.Verified);
      delete next.signatures;
    } else if (!isTrue(conditions, C.Resolved)) {
      const message = "signatures are checked once every component is resolved";
      conditions = setCondition(
        conditions,
        {
          type: C.Verified,
          status: "Unknown",
          reason: VerifyReasons.WaitingForResolution,
          message,
          observedGeneration: generation,
        },
        now,
      );
    } else if (verified?.status !== "True" || verified.observedGeneration !== generation) {
      const v = await verifyComponents(namespace, policy, next.components ?? [], {
        registry: deps.registry,
        verifiers: deps.verifiers,
        secrets: deps.secrets,
        pullCredentials,
        now,
      });
      next.signatures = keepVerdictTimes(v.signatures, old.signatures);
      if (v.problem) {
        conditions = setCondition(
          conditions,
          {
            type: C.Verified,
            status: "False",
            reason: v.problem.reason,
            message: v.problem.message,
            observedGeneration: generation,
          },
          now,
        );
        later(v.problem.transient ? "transient" : "slow");
        deps.log.info("release not verified", { release: key, reason: v.problem.reason, message: v.problem.message });
      } else {
        const keys = [...new Set(v.signatures.map((s) => s.keyId).filter(Boolean))].join(", ");
        conditions = setCondition(
          conditions,
          {
            type: C.Verified,
            status: "True",
            reason: "Verified",
            message: `every component digest carries a valid signature (key ${keys})`,
            observedGeneration: generation,
          },
          now,
        );
        deps.log.info("release verified", { release: key, keyId: keys });
      }
    }

    next.conditions = withReady(conditions, policy !== undefined, generation, now);
    next.observedGeneration = generation;
    if (!sameStatus(next, old)) {
      await deps.releases.updateStatus({ ...release, status: compactStatus(next) });
      recordNotes(deps.events, release, releaseEvents(old, next));
    }
    if (retry === undefined) return deps.retry.forget(key);
    return { requeueAfter: deps.retry.next(key, generation, retry) };
  }
}
