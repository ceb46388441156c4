// The freeze gate: no deployment while one of the environment's freeze windows is open (RFC 5545
// recurrence rules in the window's time zone).
export { freezeGate } from "./gate.ts";
export {
  environmentCreated,
  openFreezeWindow,
  type FreezeCheck,
  type FreezeOccurrence,
} from "../../../crds/freeze-window/evaluate.ts";
export { InvalidFreezeWindow, InvalidRecurrenceRule } from "../../../crds/freeze-window/errors.ts";
