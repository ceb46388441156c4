// What a person reads in `kubectl describe environment`: degraded and why, recovered, and which
// release runs there now.
import type { EnvironmentStatus } from "../../crds/environment.ts";
import { findCondition, normal, warning, type EventNote } from "../runtime/index.ts";

/** The events of an environment status change. */
export function environmentEvents(before: EnvironmentStatus | undefined, after: EnvironmentStatus): EventNote[] {
  const notes: EventNote[] = [];
  const was = before?.phase ?? "Pending";
  const now = after.phase ?? "Pending";
  const ready = findCondition(after.conditions, "Ready");
  if (was !== now && now === "Degraded") notes.push(warning(ready?.reason ?? "Degraded", ready?.message ?? "degraded"));
  if (was === "Degraded" && now === "Ready") notes.push(normal("Recovered", ready?.message ?? "ready again"));
  const release = after.current?.release;
  if (release && release !== before?.current?.release) {
    notes.push(normal("ReleaseChanged", `now running ${release}${after.current?.rollback ? " (rollback)" : ""}`));
  }
  return notes;
}
