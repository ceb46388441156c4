// The value of a duration as operators write it (`90s`, `2m`, `1h30m`, `500ms`), with no schema
// library: code that only reads durations (the freeze-window evaluation, which the dashboard bundles
// for the browser) imports this file, not the zod schemas of meta.ts and duration.ts.

/** A Go-style duration as operators write it: `90s`, `2m`, `1h30m`, `500ms`. */
export const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;

/** Milliseconds in a duration string, or undefined when it does not match DURATION. */
export function durationMillis(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit];
  return Math.round(total);
}

/** Milliseconds in a duration string; throws RangeError when it is not a valid duration. */
export function parseDuration(text: string): number {
  const millis = durationMillis(text);
  if (millis === undefined) throw new RangeError(`invalid duration ${JSON.stringify(text)}`);
  return millis;
}
