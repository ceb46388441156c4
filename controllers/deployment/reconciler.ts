// The deployment reconciler: a level-triggered state machine over Deployment.status, one file per
// phase:
//
//   Pending      phase-pending.ts: wait for the release to be resolved and for the environment's
//                lock (a newer queued deployment supersedes this one); then freeze the target list
//                and the strategy.
//   Progressing  phase-progressing.ts: start batches as the strategy allows, step every started
//                target (apply, health, cutover), fail on the failure budget or the progress
//                deadline; phase-rollback.ts rolls back.
//                Under the Canary strategy, phase-canary.ts instead: create the Canary and follow it
//                (the canary controller moves the traffic); pause and the progress deadline do not
//                apply.
//   Paused       as Progressing, but no new batch starts.
//   terminal     Succeeded, Failed, RolledBack, Aborted, Superseded; the lock is released. A
//                BlueGreen success still scales the previous release down after scaleDownDelay
//                (phase-finished.ts), and `retry` brings a Failed or RolledBack deployment back
//                to Pending.
//
// Every pass reads the objects from informer caches and the units from the drivers, so a
// restarted controller resumes from status plus what actually runs.
import { isDeepStrictEqual } from "node:util";
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { EventNote, Reconciler, Request, Result } from "../runtime/index.ts";
import type { StepContext } from "./context.ts";
import type { DeploymentDeps } from "./deps.ts";
import { deploymentEvidence } from "./evidence.ts";
import { HealthTracker } from "./health.ts";
import { afterEnd } from "./phase-finished.ts";
import { followCanary } from "./phase-canary.ts";
import { startDeployment } from "./phase-pending.ts";
import { progress } from "./phase-progressing.ts";
import { effectiveSettings } from "./settings.ts";
import { clean, end, retried, stamp, terminal } from "./status-transitions.ts";

/** Phases `stella rollout retry` brings back to Pending (an Aborted one keeps spec.abort, so it is not one). */
const RETRYABLE = new Set(["Failed", "RolledBack"]);

/** Runs deployments. */
export class DeploymentReconciler implements Reconciler {
  private readonly health: HealthTracker;

  constructor(private readonly deps: DeploymentDeps) {
    this.health = new HealthTracker(deps.now);
  }

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const d = this.deps.deployment(namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const now = this.deps.now();
    const old: DeploymentStatus = d.status ?? {};
    let status: DeploymentStatus = { ...old };
    let requeue: number | undefined;
    const ended = () => terminal({ ...d, status });
    const phase = () => status.phase ?? "Pending";
    const notes: EventNote[] = [];

    const retry = d.spec.retry ?? 0;
    if (RETRYABLE.has(status.phase ?? "") && retry > (status.observedRetry ?? 0))
      status = retried(status, retry, stamp(now));

    if (ended()) {
      requeue = await afterEnd(this.deps, () => this.context(d, status), d, status, now);
    } else if (d.spec.abort && phase() === "Pending") {
      status = end(status, "Aborted", "Aborted", "aborted before it started", now);
    } else if (phase() === "Pending") {
      ({ status, requeue } = await startDeployment(this.deps, d, status, now));
    }
    if (!ended() && phase() !== "Pending" && status.strategy?.type === "Canary") {
      ({ status, requeue } = await followCanary(this.deps, d, status, now));
    } else if (!ended() && phase() !== "Pending") {
      let passed: EventNote[] | undefined;
      ({ status, requeue, passed } = await progress(this.context(d, status), d, status, now));
      notes.push(...(passed ?? []));
    }
    if (ended()) await this.deps.locks.release(namespace, d.spec.environment, name);
    status = clean({ ...status, observedGeneration: d.metadata.generation ?? 0 });
    if (ended() && !terminal(d)) status = await this.withEvidence(d, status);
    if (!isDeepStrictEqual(status, clean(old))) {
      await this.deps.writeStatus({ ...d, status }, notes);
      if (status.phase !== old.phase) {
        this.deps.log.info("deployment phase", {
          deployment: `${namespace}/${name}`,
          phase: status.phase,
          message: status.message,
        });
      }
    }
    return requeue === undefined ? undefined : { requeueAfter: requeue };
  }

  /** The deployment's evidence packet recorded, and named in status. */
  private async withEvidence(d: Deployment, status: DeploymentStatus): Promise<DeploymentStatus> {
    const ns = d.metadata.namespace ?? "default";
    const packet = deploymentEvidence(d, status, this.deps.release(ns, d.spec.release));
    if (!packet) return status;
    const recorded = await this.deps.recordEvidence(ns, packet.name, packet.spec, packet.labels);
    return { ...status, evidence: [...(status.evidence ?? []).filter((e) => e !== packet.name), recorded] };
  }

  /** What the per-target steps work with; undefined when the release is gone. */
  private context(d: Deployment, status: DeploymentStatus): StepContext | undefined {
    const ns = d.metadata.namespace ?? "default";
    const release = this.deps.release(ns, d.spec.release);
    if (!release) return undefined;
    const environment = this.deps.environment(ns, d.spec.environment);
    const previousName = status.rollback?.release ?? status.previousRelease;
    return {
      deployment: d,
      namespace: ns,
      environment,
      release,
      previous: previousName ? this.deps.release(ns, previousName) : undefined,
      settings: effectiveSettings({ ...d, status }, environment),
      target: (name) => this.deps.target(ns, name),
      driver: (t) => this.deps.drivers.get(t),
      applyContext: (t, r) => this.deps.applyContext(t, r),
      store: (target, rendered) => this.deps.storeArtifacts(ns, target, rendered),
      health: this.health,
      ports: this.deps.ports,
      now: this.deps.now,
      log: this.deps.log,
    };
  }
}
