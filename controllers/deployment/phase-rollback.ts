// Rolling back: every target that started goes back to the previous release. Ends RolledBack (or
// Aborted, when a person asked for it) once all are back, or Failed when the rollback itself does
// not finish within the progress deadline.
import { DeploymentConditions as C, type Deployment, type DeploymentStatus } from "../../crds/deployment.ts";
import { setCondition } from "../runtime/index.ts";
import type { StepContext } from "./context.ts";
import { pollAfter } from "./poll.ts";
import { end, stamp, summarize, type PhaseResult } from "./status-transitions.ts";
import { rollBackTarget } from "./step.ts";

/** One pass of the rollback that `status.rollback` describes. */
export async function rollBack(
  ctx: StepContext,
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): Promise<PhaseResult> {
  const previous = ctx.previous;
  if (!previous)
    return {
      status: end(
        status,
        "Failed",
        "RollbackFailed",
        `release ${status.rollback?.release} to roll back to was not found`,
        now,
      ),
    };
  const back = (phase: string | undefined) => phase === "Pending" || phase === "RolledBack";
  const outcomes = await Promise.all(
    (status.targets ?? []).map((t) =>
      back(t.phase) ? { rollout: t, progressed: false } : rollBackTarget(ctx, t, previous),
    ),
  );
  const targets = outcomes.map((o) => o.rollout);
  const next = summarize({ ...status, targets });
  const name = previous.metadata.name;
  if (targets.every((t) => back(t.phase))) {
    const done = ctx.now(); // after the steps: the rollback's completion is later than the failure it answers
    next.rollback = { ...next.rollback!, completedAt: stamp(done) };
    const message = `${name} runs again: ${next.rollback.reason}`;
    next.conditions = setCondition(
      next.conditions,
      { type: C.RolledBack, status: "True", reason: "RolledBack", message },
      stamp(done),
    );
    const outcome = d.spec.abort === true ? "Aborted" : "RolledBack";
    return { status: end(next, outcome, outcome, `rolled back to ${name}: ${next.rollback.reason}`, done) };
  }
  const deadline = Date.parse(next.rollback?.startedAt ?? stamp(now)) + ctx.settings.progressDeadlineMs;
  if (now > deadline) {
    const stuck = targets.filter((t) => !back(t.phase)).map((t) => `${t.name}: ${t.message}`);
    return {
      status: end(next, "Failed", "RollbackFailed", `rollback to ${name} did not finish: ${stuck.join("; ")}`, now),
    };
  }
  return { status: next, requeue: pollAfter(ctx, targets, now) };
}
