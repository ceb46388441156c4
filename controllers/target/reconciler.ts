// The target reconciler. Level-triggered: it reads the Target from the informer cache, probes it
// through its bound driver (cordoned targets too: cordoning stops new deployments, not probing),
// and writes status through the status subresource by the rule of status.ts. It asks to run again
// when the next probe is due; a deleted target's driver is closed.
import { isConflict } from "../../crds/errors.ts";
import { TargetConditions, type Target } from "../../crds/target.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { findCondition, recordNotes } from "../runtime/index.ts";
import { targetEvents } from "./events.ts";
import type { EventRecorder, Logger, Reconciler, Request, Result } from "../runtime/index.ts";
import { probeTarget, type DriverSource } from "./probe.ts";
import { needsWrite, nextProbeIn, targetStatus } from "./status.ts";

/** How soon a reconcile whose status write met a newer object tries again. */
const CONFLICT_RETRY_MS = 100;

/** What the reconciler reads and writes through. */
export interface TargetReconcilerDeps {
  /** The Target as the informer cache has it. */
  get(namespace: string, name: string): Target | undefined;
  targets: Pick<ResourceClient<Target>, "updateStatus">;
  /** Bound drivers, one per target, rebound when uid or generation change (a DriverPool). */
  drivers: DriverSource & { forget(namespace: string, name: string): Promise<void> };
  /** Time between probes of one target, ms. */
  probeInterval: number;
  /** Time one probe (bind, probe, observe) may take, ms. */
  probeTimeout: number;
  /** Where status transitions are told as events (Manager.recorder); none when absent. */
  events?: EventRecorder;
  log: Logger;
}

/** Probes Targets and reports what it found. */
export class TargetReconciler implements Reconciler {
  constructor(private readonly deps: TargetReconcilerDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const { deps } = this;
    const target = deps.get(namespace, name);
    if (!target || target.metadata.deletionTimestamp) return deps.drivers.forget(namespace, name);
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const outcome = await probeTarget(deps.drivers, target, deps.probeTimeout);
    const old = target.status ?? {};
    const next = targetStatus(target, outcome, now);
    if (!needsWrite(old, next, deps.probeInterval, nowMs))
      return { requeueAfter: nextProbeIn(old.lastProbeTime, deps.probeInterval, Date.now()) };
    try {
      await deps.targets.updateStatus({ ...target, status: next });
      recordNotes(deps.events, target, targetEvents(old, next));
    } catch (err) {
      if (isConflict(err)) return { requeueAfter: CONFLICT_RETRY_MS };
      throw err;
    }
    const was = findCondition(old.conditions, TargetConditions.Ready);
    const is = findCondition(next.conditions, TargetConditions.Ready)!;
    if (was?.status !== is.status || was.reason !== is.reason || was.message !== is.message) {
      deps.log.info(is.status === "True" ? "target ready" : "target not ready", {
        target: `${namespace}/${name}`,
        driver: target.spec.driver,
        reason: is.reason,
        message: is.message,
      });
    }
    return { requeueAfter: nextProbeIn(now, deps.probeInterval, Date.now()) };
  }
}
