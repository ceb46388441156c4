// The environment reconciler. Level-triggered: it reads the Environment, the Targets of its
// namespace, its Deployments and its Canaries from informer caches, derives the status (status.ts) and writes
// it through the status subresource only when it differs.
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import { isConflict } from "../../crds/errors.ts";
import { EnvironmentConditions, type Environment } from "../../crds/environment.ts";
import type { Target } from "../../crds/target.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { findCondition, recordNotes } from "../runtime/index.ts";
import { environmentEvents } from "./events.ts";
import type { EventRecorder, Logger, Reconciler, Request, Result } from "../runtime/index.ts";
import { matchesSelector } from "./selector.ts";
import { environmentStatus, sameStatus } from "./status.ts";

/** How soon a status write that met a newer version is tried again, ms. */
const CONFLICT_RETRY_MS = 100;

/** What the reconciler reads and writes through. */
export interface EnvironmentReconcilerDeps {
  /** The Environment as the informer cache has it. */
  getEnvironment(namespace: string, name: string): Environment | undefined;
  /** Every Target of a namespace, from the informer cache. */
  targets(namespace: string): Target[];
  /** Every Deployment of a namespace, from the informer cache. */
  deployments(namespace: string): Deployment[];
  /** Every Canary of a namespace, from the informer cache (a standalone one's success lands its release). */
  canaries?(namespace: string): Canary[];
  environments: Pick<ResourceClient<Environment>, "updateStatus">;
  /** Where status transitions are told as events (Manager.recorder); none when absent. */
  events?: EventRecorder;
  log: Logger;
}

/** Aggregates the targets and deployments of Environments into their status. */
export class EnvironmentReconciler implements Reconciler {
  constructor(private readonly deps: EnvironmentReconcilerDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const { deps } = this;
    const env = deps.getEnvironment(namespace, name);
    if (!env || env.metadata.deletionTimestamp) return;
    const targets = deps.targets(namespace).filter((t) => matchesSelector(t.metadata.labels, env.spec.targetSelector));
    const deployments = deps.deployments(namespace).filter((d) => d.spec.environment === name);
    const canaries = (deps.canaries?.(namespace) ?? []).filter((c) => c.spec.environment === name);
    const old = env.status ?? {};
    const next = environmentStatus(env, targets, deployments, new Date().toISOString(), canaries);
    if (sameStatus(next, old)) return;
    try {
      await deps.environments.updateStatus({ ...env, status: next });
      recordNotes(deps.events, env, environmentEvents(old, next));
    } catch (err) {
      // The cache lagged a write (ours or another's): derive again from the fresher copy, soon.
      if (isConflict(err)) return { requeueAfter: CONFLICT_RETRY_MS };
      throw err;
    }
    const ready = findCondition(next.conditions, EnvironmentConditions.Ready);
    if (
      next.phase !== old.phase ||
      ready?.message !== findCondition(old.conditions, EnvironmentConditions.Ready)?.message ||
      next.current?.release !== old.current?.release
    ) {
      deps.log.info("environment status", {
        environment: `${namespace}/${name}`,
        phase: next.phase,
        ready: next.ready,
        reason: ready?.reason,
        current: next.current?.release,
        previous: next.previous?.release,
      });
    }
  }
}
