// What a person reads in `kubectl describe release`: resolved (or why not: registry unreachable,
// manifest not found, ...) and the signature verdict (or why it is invalid).
import type { ReleaseStatus } from "../../crds/release.ts";
import { conditionNote, type EventNote } from "../runtime/index.ts";

/** The events of a release status change. */
export function releaseEvents(before: ReleaseStatus | undefined, after: ReleaseStatus): EventNote[] {
  const notes = ["Resolved", "Verified"].map((type) => conditionNote(before?.conditions, after.conditions, type));
  return notes.filter((n): n is EventNote => n !== undefined);
}
