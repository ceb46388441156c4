// What a person reads in `kubectl describe deployment`: the deployment started, a target turned
// unhealthy and why, a rollback began, and how it ended. Derived from two statuses, nothing else.
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import type { EventNote } from "../runtime/index.ts";

const ENDINGS: Record<string, Omit<EventNote, "message">> = {
  Succeeded: { type: "Normal", reason: "DeploymentSucceeded" },
  Failed: { type: "Warning", reason: "DeploymentFailed" },
  RolledBack: { type: "Warning", reason: "RolledBack" },
  Aborted: { type: "Warning", reason: "Aborted" },
  Superseded: { type: "Normal", reason: "Superseded" },
};

/**
 * The events of a status change of deployment `d` from `before` to `after`, in the order they
 * happened. `passed` are notes of states the reconcile went through without writing them (a
 * target that failed and was rolled back in the same pass).
 */
export function deploymentEvents(d: Deployment, before: DeploymentStatus | undefined, after: DeploymentStatus, passed: EventNote[] = []): EventNote[] {
  const notes: EventNote[] = [];
  const was = before?.phase ?? "Pending";
  const now = after.phase ?? "Pending";
  if (was === "Pending" && now !== "Pending" && now !== "Aborted") {
    const targets = after.targets?.length ?? 0;
    const strategy = after.strategy?.type ?? "AllAtOnce";
    notes.push({ type: "Normal", reason: "DeploymentStarted", message: `deploying ${d.spec.release} to ${d.spec.environment}: ${strategy} on ${targets} target(s)` });
  }
  if (!before?.waitingFor && after.waitingFor) notes.push({ type: "Normal", reason: "Waiting", message: `waiting for deployment ${after.waitingFor} to finish in ${d.spec.environment}` });
  notes.push(...targetEvents(before, after), ...passed.filter((p) => !notes.some((n) => n.message === p.message)));
  if (!before?.rollback && after.rollback) {
    const why = after.rollback.reason ? `: ${after.rollback.reason}` : "";
    notes.push({ type: "Warning", reason: "RollingBack", message: `rolling back to ${after.rollback.release}${why}` });
  }
  if (was !== "Paused" && now === "Paused") notes.push({ type: "Normal", reason: "Paused", message: after.message ?? "paused" });
  if (was === "Paused" && now === "Progressing") notes.push({ type: "Normal", reason: "Resumed", message: "resumed" });
  if (was !== now && ENDINGS[now]) notes.push({ ...ENDINGS[now], message: after.message ?? now });
  if (was !== now && now === "Pending" && ENDINGS[was]) notes.push({ type: "Normal", reason: "RetryRequested", message: after.message ?? "retry requested" });
  return notes;
}

/** Targets that failed or finished between two statuses: unhealthy (with why) or updated. */
export function targetEvents(before: DeploymentStatus | undefined, after: DeploymentStatus): EventNote[] {
  const old = new Map((before?.targets ?? []).map((t) => [t.name, t.phase]));
  const notes: EventNote[] = [];
  for (const t of after.targets ?? []) {
    if (old.get(t.name) === t.phase) continue;
    if (t.phase === "Failed") notes.push({ type: "Warning", reason: "TargetUnhealthy", message: `target ${t.name}: ${t.message ?? "failed"}` });
    else if (t.phase === "Succeeded" && !after.rollback) notes.push({ type: "Normal", reason: "TargetUpdated", message: `target ${t.name}: ${t.message ?? "healthy"}` });
  }
  return notes;
}
