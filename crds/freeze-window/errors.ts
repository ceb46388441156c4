// Errors of the freeze gate: windows and recurrence rules that cannot be evaluated.

/** A freeze window that cannot be evaluated: a rule rrule rejects or an unknown time zone. */
export class InvalidFreezeWindow extends Error {
  override readonly name = "InvalidFreezeWindow";
  constructor(
    /** Index of the window in spec.freezeWindows. */
    readonly index: number,
    /** The offending field of the window: rrule, timeZone or start. */
    readonly field: "rrule" | "timeZone" | "start",
    message: string,
  ) {
    super(message);
  }
}

/** An RRULE outside RFC 5545 3.3.10, or one whose expansion would take unbounded work. */
export class InvalidRecurrenceRule extends Error {
  override readonly name = "InvalidRecurrenceRule";
}
