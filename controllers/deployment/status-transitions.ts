// How a deployment's status moves between phases: ending it, beginning a rollback, a retry, and the
// counters and message derived from the per-target phases. Pure functions of status and the clock.
import {
  DEPLOYMENT_TERMINAL_PHASES,
  DeploymentConditions as C,
  type Deployment,
  type DeploymentStatus,
  type TargetRollout,
} from "../../crds/deployment.ts";
import { setCondition, type EventNote } from "../runtime/index.ts";
import { allArtifacts } from "./step.ts";

/** What a phase hands back: the next status, and when to look again. */
export interface PhaseResult {
  status: DeploymentStatus;
  requeue?: number;
  /** Events of states passed through within this phase and never written (see events.ts). */
  passed?: EventNote[];
}

/** An instant as status stores it. */
export const stamp = (ms: number): string => new Date(ms).toISOString();

/** Whether the deployment has ended (absent: it has not). */
export const terminal = (d: Deployment | undefined): boolean =>
  DEPLOYMENT_TERMINAL_PHASES.includes(d?.status?.phase ?? "Pending");

/** Status with a terminal phase. */
export function end(
  status: DeploymentStatus,
  phase: NonNullable<DeploymentStatus["phase"]>,
  reason: string,
  message: string,
  now: number,
): DeploymentStatus {
  const next: DeploymentStatus = { ...status, phase, message, completedAt: stamp(now), waitingFor: undefined };
  const complete = phase === "Succeeded";
  const at = stamp(now);
  next.conditions = setCondition(
    next.conditions,
    { type: C.Complete, status: complete ? "True" : "False", reason, message },
    at,
  );
  if (!complete)
    next.conditions = setCondition(next.conditions, { type: C.Progressing, status: "False", reason, message }, at);
  return clean(next);
}

/** Status that starts rolling back to `release`. */
export function beginRollback(
  status: DeploymentStatus,
  release: string,
  reason: string,
  now: number,
): DeploymentStatus {
  const message = `rolling back to ${release}: ${reason}`;
  return {
    ...status,
    rollback: { release, reason, startedAt: stamp(now) },
    message,
    conditions: setCondition(
      status.conditions,
      { type: C.RolledBack, status: "Unknown", reason: "RollingBack", message },
      stamp(now),
    ),
  };
}

/** A Failed or RolledBack deployment brought back to Pending by `stella rollout retry`. */
export function retried(status: DeploymentStatus, retry: number, now: string): DeploymentStatus {
  const { conditions, evidence } = status;
  const message = `retry ${retry} requested`;
  const progressing = { type: C.Progressing, status: "Unknown" as const, reason: "RetryRequested", message };
  return clean({
    phase: "Pending",
    observedRetry: retry,
    message,
    conditions: setCondition(conditions, progressing, now),
    evidence,
  });
}

/** `targets` with `t` in place of the target of its name. */
export function replace(targets: TargetRollout[], t: TargetRollout): TargetRollout[] {
  return targets.map((o) => (o.name === t.name ? t : o));
}

/** Counters and the display string from the per-target phases. */
export function summarize(status: DeploymentStatus): DeploymentStatus {
  const targets = status.targets ?? [];
  const healthy = targets.filter((t) => t.phase === "Succeeded").length;
  const next: DeploymentStatus = {
    ...status,
    totalTargets: targets.length,
    updatedTargets: targets.filter((t) => t.phase !== "Pending").length,
    healthyTargets: healthy,
    failedTargets: targets.filter((t) => t.phase === "Failed").length,
    progress: `${healthy}/${targets.length}`,
    currentBatch: targets.filter((t) => t.phase !== "Pending").reduce((m, t) => Math.max(m, t.batch ?? 0), 0),
    artifacts: uniqueArtifacts(allArtifacts(targets)),
  };
  if (!status.rollback) {
    const active = targets.find((t) => t.phase === "Progressing");
    if (active?.message) next.message = `${active.name}: ${active.message}`;
  } else {
    const active = targets.find((t) => t.phase !== "Pending" && t.phase !== "RolledBack");
    next.message = active
      ? `rolling back to ${status.rollback.release}: ${active.name}: ${active.message}`
      : status.message;
  }
  return next;
}

function uniqueArtifacts(list: NonNullable<DeploymentStatus["artifacts"]>): NonNullable<DeploymentStatus["artifacts"]> {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.target}/${a.component ?? ""}/${a.digest}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The status without undefined keys or empty lists. */
export function clean(status: DeploymentStatus): DeploymentStatus {
  const kept = Object.entries(status).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  return Object.fromEntries(kept) as DeploymentStatus;
}
