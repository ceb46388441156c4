// Durations as operators write them (`90s`, `2m`, `1h30m`, `500ms`), and their value in milliseconds.
import { duration } from "./meta.ts";
import { durationMillis } from "./duration-value.ts";

export { durationMillis, parseDuration } from "./duration-value.ts";

/** A duration that must be longer than zero (intervals, timeouts, deadlines). */
export const positiveDuration = duration.refine((text) => (durationMillis(text) ?? 1) > 0, {
  error: "must be a duration greater than zero, such as 30s or 2m",
});
