// What a person reads in `kubectl describe target`: it became ready, or not ready and why.
import type { TargetStatus } from "../../crds/target.ts";
import { conditionNote, type EventNote } from "../runtime/index.ts";

/** The events of a target status change. */
export function targetEvents(before: TargetStatus | undefined, after: TargetStatus): EventNote[] {
  const note = conditionNote(before?.conditions, after.conditions, "Ready", "TargetReady");
  return note ? [note] : [];
}
