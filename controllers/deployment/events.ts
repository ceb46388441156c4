// What a person reads in `kubectl describe deployment`: the deployment started, a target turned
// unhealthy and why, a rollback began, the Canary it created (Canary strategy), and how it ended.
// Derived from two statuses, nothing else.
import type { Deployment, DeploymentStatus } from "../../crds/deployment.ts";
import { normal, warning, type EventNote } from "../runtime/index.ts";

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
export function deploymentEvents(
  d: Deployment,
  before: DeploymentStatus | undefined,
  after: DeploymentStatus,
  passed: EventNote[] = [],
): EventNote[] {
  const notes: EventNote[] = [];
  const was = before?.phase ?? "Pending";
  const now = after.phase ?? "Pending";
  const { release, environment } = d.spec;
  if (was === "Pending" && now !== "Pending" && now !== "Aborted") {
    const how = `${after.strategy?.type ?? "AllAtOnce"} on ${after.targets?.length ?? 0} target(s)`;
    notes.push(normal("DeploymentStarted", `deploying ${release} to ${environment}: ${how}`));
  }
  if (!before?.canary && after.canary) {
    const from = after.previousRelease ? ` from ${after.previousRelease}` : "";
    const what = `${after.strategy?.canary?.component ?? "its component"} of ${release}${from}`;
    notes.push(normal("CanaryCreated", `created canary ${after.canary}: ${what}`));
  }
  if (!before?.waitingFor && after.waitingFor) {
    notes.push(normal("Waiting", `waiting for deployment ${after.waitingFor} to finish in ${environment}`));
  }
  notes.push(...targetEvents(before, after));
  notes.push(...passed.filter((p) => !notes.some((n) => n.message === p.message)));
  if (!before?.rollback && after.rollback) {
    const why = after.rollback.reason ? `: ${after.rollback.reason}` : "";
    notes.push(warning("RollingBack", `rolling back to ${after.rollback.release}${why}`));
  }
  if (was !== "Paused" && now === "Paused") notes.push(normal("Paused", after.message ?? "paused"));
  if (was === "Paused" && now === "Progressing") notes.push(normal("Resumed", "resumed"));
  if (was !== now && ENDINGS[now]) notes.push({ ...ENDINGS[now], message: after.message ?? now });
  const retried = was !== now && now === "Pending" && ENDINGS[was] !== undefined;
  if (retried) notes.push(normal("RetryRequested", after.message ?? "retry requested"));
  return notes;
}

/** Targets that failed or finished between two statuses: unhealthy (with why) or updated. */
export function targetEvents(before: DeploymentStatus | undefined, after: DeploymentStatus): EventNote[] {
  const old = new Map((before?.targets ?? []).map((t) => [t.name, t.phase]));
  const notes: EventNote[] = [];
  for (const t of after.targets ?? []) {
    if (old.get(t.name) === t.phase) continue;
    if (t.phase === "Failed") notes.push(warning("TargetUnhealthy", `target ${t.name}: ${t.message ?? "failed"}`));
    else if (t.phase === "Succeeded" && !after.rollback) {
      notes.push(normal("TargetUpdated", `target ${t.name}: ${t.message ?? "healthy"}`));
    }
  }
  return notes;
}
