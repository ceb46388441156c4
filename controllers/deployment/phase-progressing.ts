// Progressing (and Paused): start batches as the strategy allows, step every started target
// (apply, health, cutover), and end Succeeded when every target finished within the failure
// budget. A failure budget spent or a progress deadline passed begins a rollback (when one is
// possible), as does `spec.abort`; the rollback itself is phase-rollback.ts.
import {
  DeploymentConditions as C,
  type Deployment,
  type DeploymentStatus,
  type TargetRollout,
} from "../../crds/deployment.ts";
import { setCondition } from "../runtime/index.ts";
import type { StepContext } from "./context.ts";
import { failureBudgetExceeded, targetsToStart } from "./plan.ts";
import { completeDeployment, scaleDownWait } from "./phase-finished.ts";
import { rollBack } from "./phase-rollback.ts";
import { pollAfter } from "./poll.ts";
import { beginRollback, end, replace, stamp, summarize, type PhaseResult } from "./status-transitions.ts";
import { rollTarget } from "./step.ts";
import { nameOf } from "./units.ts";
import { targetEvents } from "./events.ts";

/** Progressing or Paused: advance the targets, or the rollback. `ctx` is absent when the release is gone. */
export async function progress(
  ctx: StepContext | undefined,
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): Promise<PhaseResult> {
  if (!ctx)
    return {
      status: end(status, "Failed", "ReleaseNotFound", `release ${d.spec.release} was deleted during the rollout`, now),
    };
  let next = { ...status };
  if (d.spec.abort && !next.rollback) {
    const touched = (next.targets ?? []).some((t) => t.phase !== "Pending");
    if (!ctx.previous || !touched) {
      const why = ctx.previous
        ? "aborted; no target had started"
        : "aborted; there is no previous release to go back to";
      return { status: end(next, "Aborted", "Aborted", why, now) };
    }
    next = beginRollback(next, nameOf(ctx.previous), "aborted by request", now);
  }
  if (!next.rollback) {
    const forward = await rollForward(ctx, d, next, now);
    if (!forward.status.rollback) return forward;
    next = forward.status;
    // The failed targets go straight on to the rollback below; tell of them before it overwrites them.
    const back = await rollBack(ctx, d, next, now);
    return { ...back, passed: [...targetEvents(status, forward.status), ...(back.passed ?? [])] };
  }
  return rollBack(ctx, d, next, now);
}

/** One pass of the forward rollout; a status with `rollback` set means the rollback begins now. */
async function rollForward(
  ctx: StepContext,
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): Promise<PhaseResult> {
  let targets = [...(status.targets ?? [])];
  let next = { ...status };
  const paused = d.spec.paused === true;
  for (const t of targetsToStart(ctx.settings.strategy, targets, now, paused)) {
    targets = replace(targets, { ...t, phase: "Progressing", startedAt: stamp(now), message: "starting" });
  }
  const outcomes = await Promise.all(
    targets.map((t) => (t.phase === "Progressing" ? rollTarget(ctx, t) : { rollout: t, progressed: false })),
  );
  targets = outcomes.map((o) => o.rollout);
  if (outcomes.some((o) => o.progressed)) next.lastProgressTime = stamp(now);
  next.phase = paused ? "Paused" : "Progressing";
  if (!paused && next.phase !== status.phase) next.lastProgressTime = stamp(now);
  const failure = rolloutFailure(ctx, d, targets, next, now, paused);
  if (failure) targets = failure.targets;
  next = summarize({ ...next, targets });
  if (failure) {
    next.conditions = setCondition(
      next.conditions,
      { type: C.Progressing, status: "False", reason: failure.reason, message: failure.message },
      stamp(now),
    );
    if (!ctx.settings.autoRollback || !ctx.previous) {
      const why = !ctx.settings.autoRollback
        ? "automatic rollback is off"
        : "there is no previous release to roll back to";
      return { status: end(next, "Failed", failure.reason, `${failure.message} (${why})`, now) };
    }
    return { status: beginRollback(next, nameOf(ctx.previous), failure.message, now) };
  }
  if (targets.every((t) => t.phase === "Succeeded" || t.phase === "Failed")) {
    return { status: completeDeployment(d, next, ctx, now), requeue: scaleDownWait(next, now) };
  }
  return { status: next, requeue: pollAfter(ctx, targets, now) };
}

interface RolloutFailure {
  reason: string;
  message: string;
  /** The targets, with those stuck at a passed deadline marked Failed. */
  targets: TargetRollout[];
}

/** Why the rollout fails now, if it does: the failure budget is spent, or the progress deadline passed. */
function rolloutFailure(
  ctx: StepContext,
  d: Deployment,
  targets: TargetRollout[],
  status: DeploymentStatus,
  now: number,
  paused: boolean,
): RolloutFailure | undefined {
  if (failureBudgetExceeded(ctx.settings.strategy, targets)) {
    const failed = targets.filter((t) => t.phase === "Failed");
    return { reason: "TargetsFailed", message: failed.map((t) => `${t.name}: ${t.message}`).join("; "), targets };
  }
  const deadline =
    Date.parse(status.lastProgressTime ?? status.startedAt ?? stamp(now)) + ctx.settings.progressDeadlineMs;
  if (paused || now <= deadline || targets.every((t) => t.phase === "Succeeded")) return undefined;
  const stuck = targets.filter((t) => t.phase === "Progressing" || t.phase === "Pending");
  const failedAtDeadline = targets.map((t): TargetRollout =>
    t.phase === "Progressing"
      ? { ...t, phase: "Failed", completedAt: stamp(now), message: `progress deadline exceeded: ${t.message ?? ""}` }
      : t,
  );
  const allowed = d.spec.progressDeadline ?? ctx.environment?.spec.deployment?.progressDeadline ?? "10m";
  const message = `no progress for ${allowed}; ${stuck.map((t) => `${t.name}: ${t.message ?? t.phase}`).join("; ")}`;
  return { reason: "ProgressDeadlineExceeded", message, targets: failedAtDeadline };
}
