// What a person reads in `kubectl describe environment`: degraded and why, recovered, and which
// release runs there now.
import type { EnvironmentStatus } from "../../crds/environment.ts";
import { findCondition, type EventNote } from "../runtime/index.ts";

/** The events of an environment status change. */
export function environmentEvents(before: EnvironmentStatus | undefined, after: EnvironmentStatus): EventNote[] {
  const notes: EventNote[] = [];
  const was = before?.phase ?? "Pending";
  const now = after.phase ?? "Pending";
  const ready = findCondition(after.conditions, "Ready");
  if (was !== now && now === "Degraded") notes.push({ type: "Warning", reason: ready?.reason ?? "Degraded", message: ready?.message ?? "degraded" });
  if (was === "Degraded" && now === "Ready") notes.push({ type: "Normal", reason: "Recovered", message: ready?.message ?? "ready again" });
  const release = after.current?.release;
  if (release && release !== before?.current?.release) {
    const how = after.current?.rollback ? " (rollback)" : "";
    notes.push({ type: "Normal", reason: "ReleaseChanged", message: `now running ${release}${how}` });
  }
  return notes;
}
