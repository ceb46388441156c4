// Freeze windows: each occurrence of an RFC 5545 RRULE opens a window that lasts `duration`.
// Occurrences are expanded on floating wall-clock times in the window's time zone (recurrence.ts)
// and converted to instants (time-zone.ts), so a 16:00 Europe/Berlin rule opens at 16:00 local in
// summer and in winter. `duration` is elapsed time (RFC 5545: hours are exact), so a 64h window
// that spans a DST change ends an hour earlier or later on the wall clock.
//
// DTSTART is `start` when given, following RFC 5545 (DTSTART itself is an occurrence only when it
// matches the rule, as in python-dateutil). Without `start` it is the environment's creation time
// with two changes an operator expects: time parts finer than the rule's finest BYHOUR/BYMINUTE/
// BYSECOND are zero (BYHOUR=16 means 16:00:00, not 16:mm:ss of the creation), and it is moved back
// by whole periods of FREQ×INTERVAL to before creation minus `duration`, so a window already open
// when the environment was created still freezes it.
import type { FreezeWindow } from "../environment.ts";
import { parseDuration } from "../duration-value.ts";
import { InvalidFreezeWindow, InvalidRecurrenceRule } from "./errors.ts";
import { type Recurrence, expandRecurrence } from "./recurrence.ts";
import { type RecurrenceRule, parseRecurrenceRule } from "./recurrence-rule.ts";
import { fromWallClock, isTimeZone, steadyOffset, wallClock } from "./time-zone.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// How far a zone's offset may move between two instants we compare (DST is 1h; 3h is generous).
const OFFSET_SLACK = 3 * HOUR;
/** How far ahead the next opening of a window is looked for. */
export const NEXT_START_HORIZON_MS = 1500 * DAY;

/** One window of spec.freezeWindows, ready to evaluate. */
export interface CompiledWindow {
  /** Index in spec.freezeWindows. */
  index: number;
  window: FreezeWindow;
  /** The IANA zone the rule runs in (UTC when the window names none). */
  timeZone: string;
  durationMs: number;
  recurrence: Recurrence;
}

/** How a window is named in messages: its name, else its place in the spec. */
export function windowLabel(w: { index: number; window: FreezeWindow }): string {
  return w.window.name ? `"${w.window.name}"` : `freezeWindows[${w.index}]`;
}

/** Compiles spec.freezeWindows[index]; `defaultStart` is DTSTART when the window has no `start`.
 * Throws InvalidFreezeWindow for an invalid rule, an unknown time zone or a bad start. */
export function compileWindow(window: FreezeWindow, index: number, defaultStart: Date): CompiledWindow {
  const at = `freezeWindows[${index}]`;
  const timeZone = window.timeZone ?? "UTC";
  if (!isTimeZone(timeZone))
    throw new InvalidFreezeWindow(
      index,
      "timeZone",
      `${at}: unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as Europe/Berlin`,
    );
  let rule: RecurrenceRule;
  try {
    rule = parseRecurrenceRule(window.rrule);
  } catch (err) {
    if (!(err instanceof InvalidRecurrenceRule)) throw err;
    throw new InvalidFreezeWindow(
      index,
      "rrule",
      `${at}: rule ${JSON.stringify(window.rrule)} is not a valid RFC 5545 RRULE: ${err.message}`,
    );
  }
  const durationMs = parseDuration(window.duration);
  let dtstart: Date;
  if (window.start !== undefined) {
    const start = new Date(window.start);
    if (Number.isNaN(start.getTime()))
      throw new InvalidFreezeWindow(index, "start", `${at}: start ${JSON.stringify(window.start)} is not a timestamp`);
    dtstart = wallClock(start, timeZone);
  } else {
    dtstart = implicitStart(wallClock(defaultStart, timeZone), rule, durationMs);
  }
  dtstart.setUTCMilliseconds(0);
  // UNTIL in UTC form (…Z) is an instant; without Z it is already local wall-clock time.
  if (rule.until !== undefined && rule.untilUtc)
    rule = { ...rule, until: wallClock(new Date(rule.until), timeZone).getTime() };
  return { index, window, timeZone, durationMs, recurrence: { rule, dtstart: dtstart.getTime() } };
}

/** The implicit DTSTART (floating): see the file comment. */
function implicitStart(created: Date, rule: RecurrenceRule, durationMs: number): Date {
  const start = new Date(created.getTime());
  if ((rule.byHour || rule.byMinute) && !rule.bySecond) start.setUTCSeconds(0);
  if (rule.byHour && !rule.byMinute) start.setUTCMinutes(0);
  const periods: Record<RecurrenceRule["freq"], [number, (d: Date, n: number) => void]> = {
    YEARLY: [365 * DAY, (d, n) => d.setUTCFullYear(d.getUTCFullYear() - n)],
    MONTHLY: [28 * DAY, (d, n) => d.setUTCMonth(d.getUTCMonth() - n)],
    WEEKLY: [7 * DAY, (d, n) => d.setUTCDate(d.getUTCDate() - 7 * n)],
    DAILY: [DAY, (d, n) => d.setUTCDate(d.getUTCDate() - n)],
    HOURLY: [HOUR, (d, n) => d.setUTCHours(d.getUTCHours() - n)],
    MINUTELY: [60_000, (d, n) => d.setUTCMinutes(d.getUTCMinutes() - n)],
    SECONDLY: [1000, (d, n) => d.setUTCSeconds(d.getUTCSeconds() - n)],
  };
  const [shortest, back] = periods[rule.freq];
  // One period more than the duration needs: the moved start lies before creation minus duration.
  back(start, rule.interval * (Math.ceil(durationMs / (shortest * rule.interval)) + 1));
  return start;
}

/** Expands the window's rule; an expansion over budget is an InvalidFreezeWindow. */
function expand(w: CompiledWindow, wallFrom: number, wallTo: number, limit?: number): number[] {
  try {
    return expandRecurrence(w.recurrence, wallFrom, wallTo, limit);
  } catch (err) {
    if (!(err instanceof InvalidRecurrenceRule)) throw err;
    throw new InvalidFreezeWindow(
      w.index,
      "rrule",
      `freezeWindows[${w.index}]: rule ${JSON.stringify(w.window.rrule)}: ${err.message}`,
    );
  }
}

/** Starts (instants) of the window's occurrences in [from, to], earliest first. */
export function startsBetween(w: CompiledWindow, from: Date, to: Date): Date[] {
  const offset = steadyOffset(from, to, w.timeZone);
  if (offset !== undefined)
    return expand(w, from.getTime() + offset, to.getTime() + offset).map((t) => new Date(t - offset));
  // The offset changes in or near the range: widen it, convert each start, keep those inside.
  const wallFrom = wallClock(from, w.timeZone).getTime() - OFFSET_SLACK;
  const wallTo = wallClock(to, w.timeZone).getTime() + OFFSET_SLACK;
  return expand(w, wallFrom, wallTo)
    .map((t) => fromWallClock(new Date(t), w.timeZone))
    .filter((d) => d >= from && d <= to);
}

/** The first start of the window strictly after `at`, within NEXT_START_HORIZON_MS. */
export function nextStart(w: CompiledWindow, at: Date): Date | undefined {
  const dayLater = new Date(at.getTime() + DAY);
  const near = startsBetween(w, new Date(at.getTime() + 1), dayLater);
  if (near.length > 0) return near[0];
  // Nothing within a day: the next one's wall clock is past that of a day later, less the slack.
  const [later] = expand(
    w,
    wallClock(dayLater, w.timeZone).getTime() - OFFSET_SLACK,
    wallClock(at, w.timeZone).getTime() + NEXT_START_HORIZON_MS,
    1,
  );
  return later === undefined ? undefined : fromWallClock(new Date(later), w.timeZone);
}
