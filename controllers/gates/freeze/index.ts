// The freeze gate: no deployment while one of the environment's freeze windows is open (RFC 5545
// recurrence rules in the window's time zone).
export { environmentCreated, freezeGate, openFreezeWindow, type FreezeCheck, type FreezeOccurrence } from "./gate.ts";
export { InvalidFreezeWindow, InvalidRecurrenceRule } from "./errors.ts";
