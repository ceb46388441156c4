// What a status change means to a person, as events: each controller derives notes from the status
// it had and the status it wrote (a pure function beside the controller), and records them right
// after the write. Notes come from transitions only, so a reconcile that changes nothing says nothing.
import type { EventType } from "../../crds/event.ts";
import type { Condition, StellaObject } from "../../crds/meta.ts";
import type { EventRecorder } from "../../sdk/events/index.ts";
import { findCondition } from "./conditions.ts";

/** One event to record: what a person should read about an object. */
export interface EventNote {
  type: EventType;
  reason: string;
  message: string;
}

/** Records `notes` about `object`; a missing recorder records nothing. */
export function recordNotes(recorder: EventRecorder | undefined, object: StellaObject, notes: readonly EventNote[]) {
  for (const n of notes) recorder?.event(object, n.type, n.reason, n.message);
}

/** A Normal note. */
export const normal = (reason: string, message: string): EventNote => ({ type: "Normal", reason, message });

/** A Warning note. */
export const warning = (reason: string, message: string): EventNote => ({ type: "Warning", reason, message });

/**
 * The note for condition `type` when its status or reason changed between two statuses: True is
 * Normal (reason `trueReason` when given, else the condition's), False is a Warning with the
 * condition's reason. Unknown and an unchanged condition say nothing.
 */
export function conditionNote(
  before: readonly Condition[] | undefined,
  after: readonly Condition[] | undefined,
  type: string,
  trueReason?: string,
): EventNote | undefined {
  const was = findCondition(before, type);
  const now = findCondition(after, type);
  if (!now || now.status === "Unknown") return undefined;
  if (was && was.status === now.status && was.reason === now.reason) return undefined;
  const message = now.message ?? `${type} is ${now.status}`;
  if (now.status === "True") return { type: "Normal", reason: trueReason ?? now.reason ?? type, message };
  return { type: "Warning", reason: now.reason ?? `Not${type}`, message };
}
