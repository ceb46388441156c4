// Expansion of an RFC 5545 recurrence rule into occurrence times, on floating wall-clock times
// (milliseconds whose UTC fields are the local fields; time-zone.ts converts them to instants).
// Semantics follow RFC 5545 3.3.10 and python-dateutil (like the `rrule` package): parts missing
// from the rule come from DTSTART (the time of day; for WEEKLY the weekday, MONTHLY the day of the
// month, YEARLY the month and day, unless a day part is given), DTSTART itself is an occurrence only
// when it matches, BYSETPOS picks from each period's occurrences, COUNT counts from DTSTART.
//
// Unlike `rrule`, the work is bounded: expansion starts at the period that holds the range asked
// for (from DTSTART only when COUNT needs it), stops at the range's end, and throws
// InvalidRecurrenceRule past a fixed budget of candidate times — a rule that can never match, such
// as FREQ=HOURLY;INTERVAL=2;BYHOUR=3 from an even hour, is an error instead of a hang.
import { InvalidRecurrenceRule } from "./errors.ts";
import type { RecurrenceRule } from "./recurrence-rule.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Candidate days and times one expansion may look at. */
export const EXPANSION_BUDGET = 2_000_000;

const ALL_HOURS = Array.from({ length: 24 }, (_, i) => i);
const ALL_SIXTY = Array.from({ length: 60 }, (_, i) => i);

/** A rule anchored at its DTSTART (floating, whole seconds). */
export interface Recurrence {
  rule: RecurrenceRule;
  dtstart: number;
}

const dayOf = (ms: number) => Math.floor(ms / DAY);
const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; MO = 0
const ymd = (day: number) => {
  const d = new Date(day * DAY);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate() };
};
const dayNumber = (y: number, m: number, d: number) => dayOf(Date.UTC(y, m, d));
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const mod = (a: number, n: number) => ((a % n) + n) % n;

/** Start (day number) of the week holding `day`, weeks starting on `wkst`. */
const weekStart = (day: number, wkst: number) => day - mod(weekdayOf(day) - wkst, 7);

/**
 * Week number of `day` (week 1 holds January 4th, so it has at least 4 days of its year) and the weeks in its
 * week-year.
 */
function weekNumber(day: number, wkst: number): { week: number; weeks: number } {
  const start = weekStart(day, wkst);
  const year = ymd(start + 3).y;
  const first = weekStart(dayNumber(year, 0, 4), wkst);
  const next = weekStart(dayNumber(year + 1, 0, 4), wkst);
  return { week: (start - first) / 7 + 1, weeks: (next - first) / 7 };
}

/** Matches a 1-based position `pos` in a span of `len` against n (negative: from the end). */
const at = (n: number, pos: number, len: number) => (n > 0 ? n === pos : len + n + 1 === pos);

/** Whether `day` passes the rule's day parts (or, without any, DTSTART's weekday/day/month defaults). */
function dayMatches(r: Recurrence, day: number): boolean {
  const { rule } = r;
  const { y, m, d } = ymd(day);
  const yearStart = dayNumber(y, 0, 1);
  const doy = day - yearStart + 1;
  const diy = dayNumber(y + 1, 0, 1) - yearStart;
  const dim = daysInMonth(y, m);
  const wd = weekdayOf(day);
  if (rule.byMonth && !rule.byMonth.includes(m + 1)) return false;
  if (rule.byWeekNo) {
    const { week, weeks } = weekNumber(day, rule.wkst);
    if (!rule.byWeekNo.some((n) => at(n, week, weeks))) return false;
  }
  if (rule.byYearDay && !rule.byYearDay.some((n) => at(n, doy, diy))) return false;
  if (rule.byMonthDay && !rule.byMonthDay.some((n) => at(n, d, dim))) return false;
  if (rule.byDay) {
    const inMonth = rule.freq === "MONTHLY" || rule.byMonth !== undefined;
    const [pos, len] = inMonth ? [d, dim] : [doy, diy];
    const nth = Math.floor((pos - 1) / 7) + 1;
    const nthFromEnd = Math.floor((len - pos) / 7) + 1;
    if (
      !rule.byDay.some((w) => w.weekday === wd && (w.n === undefined || (w.n > 0 ? w.n === nth : -w.n === nthFromEnd)))
    )
      return false;
  }
  if (!rule.byWeekNo && !rule.byYearDay && !rule.byMonthDay && !rule.byDay) {
    const start = ymd(dayOf(r.dtstart));
    if (rule.freq === "WEEKLY" && wd !== weekdayOf(dayOf(r.dtstart))) return false;
    if ((rule.freq === "MONTHLY" || rule.freq === "YEARLY") && d !== start.d) return false;
    if (rule.freq === "YEARLY" && !rule.byMonth && m !== start.m) return false;
  }
  return true;
}

/**
 * The hours, minutes and seconds a day's candidates combine: BY parts, else every value finer than FREQ, else
 * DTSTART's.
 */
function clock(r: Recurrence): { hours: number[]; minutes: number[]; seconds: number[] } {
  const { rule } = r;
  const t = new Date(r.dtstart);
  const fine = (freq: string[]) => freq.includes(rule.freq);
  return {
    hours: rule.byHour ?? (fine(["HOURLY", "MINUTELY", "SECONDLY"]) ? ALL_HOURS : [t.getUTCHours()]),
    minutes: rule.byMinute ?? (fine(["MINUTELY", "SECONDLY"]) ? ALL_SIXTY : [t.getUTCMinutes()]),
    seconds: rule.bySecond ?? (fine(["SECONDLY"]) ? ALL_SIXTY : [t.getUTCSeconds()]),
  };
}

/** The candidate times of one day, ascending; `budget.work` counts the combinations looked at. Below a
 * day without COUNT, only hours (and, for MINUTELY and SECONDLY, minutes) that overlap `window` are
 * looked at: whole units of FREQ stay whole, so BYSETPOS still sees each unit's candidates. */
function timesOf(
  r: Recurrence,
  day: number,
  { hours, minutes, seconds }: ReturnType<typeof clock>,
  budget: { work: number },
  window?: { from: number; to: number },
): number[] {
  const { rule } = r;
  const unit =
    rule.freq === "HOURLY" ? HOUR : rule.freq === "MINUTELY" ? MINUTE : rule.freq === "SECONDLY" ? SECOND : 0;
  const outside = (start: number, length: number) =>
    window !== undefined && (start > window.to || start + length <= window.from);
  const out: number[] = [];
  for (const h of hours) {
    const hour = day * DAY + h * HOUR;
    if (unit !== 0 && outside(hour, HOUR)) continue;
    for (const mi of minutes) {
      const minute = hour + mi * MINUTE;
      if ((unit === MINUTE || unit === SECOND) && outside(minute, MINUTE)) continue;
      budget.work += seconds.length;
      for (const s of seconds) {
        const time = minute + s * SECOND;
        // Below a day, the periods are the units counted from DTSTART in steps of INTERVAL.
        if (unit === 0 || mod(Math.floor(time / unit) - Math.floor(r.dtstart / unit), rule.interval) === 0)
          out.push(time);
      }
    }
  }
  return out;
}

/** Keeps the BYSETPOS positions of one period's sorted candidates. */
function setPositions(rule: RecurrenceRule, candidates: number[]): number[] {
  if (!rule.bySetPos) return candidates;
  const picked = rule.bySetPos
    .map((n) => candidates[n > 0 ? n - 1 : candidates.length + n])
    .filter((v) => v !== undefined);
  return [...new Set(picked)].sort((a, b) => a - b);
}

/** Periods (each as its days) from the one holding `startDay`, in steps of FREQ×INTERVAL aligned on DTSTART. */
function* periods(r: Recurrence, startDay: number): Generator<number[]> {
  const { rule } = r;
  const first = dayOf(r.dtstart);
  const step = rule.interval;
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  switch (rule.freq) {
    case "YEARLY": {
      const y0 = ymd(first).y;
      for (let y = y0 + Math.floor((ymd(startDay).y - y0) / step) * step; ; y += step)
        yield range(dayNumber(y, 0, 1), dayNumber(y + 1, 0, 1));
    }
    case "MONTHLY": {
      const s = ymd(first);
      const m0 = s.y * 12 + s.m;
      const start = ymd(startDay);
      for (let mi = m0 + Math.floor((start.y * 12 + start.m - m0) / step) * step; ; mi += step) {
        const y = Math.floor(mi / 12);
        yield range(dayNumber(y, mi - y * 12, 1), dayNumber(y, mi - y * 12 + 1, 1));
      }
    }
    case "WEEKLY": {
      const w0 = weekStart(first, rule.wkst);
      for (let w = w0 + Math.floor((weekStart(startDay, rule.wkst) - w0) / (7 * step)) * 7 * step; ; w += 7 * step)
        yield range(w, w + 7);
    }
    case "DAILY":
      for (let d = first + Math.floor((startDay - first) / step) * step; ; d += step) yield [d];
    default:
      // Below a day: every day is looked at; timesOf keeps the aligned units.
      for (let d = startDay; ; d++) yield [d];
  }
}

/** Occurrences (floating ms) in [from, to], ascending, at most `limit`. Throws InvalidRecurrenceRule
 * when the expansion would pass EXPANSION_BUDGET candidates. */
export function expandRecurrence(r: Recurrence, from: number, to: number, limit = Infinity): number[] {
  const { rule } = r;
  const out: number[] = [];
  let counted = 0;
  const budget = { work: 0 };
  const subDaily = ["HOURLY", "MINUTELY", "SECONDLY"].includes(rule.freq);
  const startDay = dayOf(rule.count !== undefined ? r.dtstart : Math.max(from, r.dtstart));
  const times = clock(r);
  const window = rule.count === undefined ? { from, to } : undefined;
  for (const days of periods(r, startDay)) {
    if (days[0] * DAY > to || (rule.until !== undefined && days[0] * DAY > rule.until)) return out;
    let candidates: number[] = [];
    for (const day of days) {
      budget.work++;
      if (!dayMatches(r, day)) continue;
      for (const t of timesOf(r, day, times, budget, window)) candidates.push(t);
      if (budget.work > EXPANSION_BUDGET) break;
    }
    if (budget.work > EXPANSION_BUDGET)
      throw new InvalidRecurrenceRule(
        `expanding the rule takes more than ${EXPANSION_BUDGET} candidate times; it may never match (check INTERVAL against BYHOUR, BYMINUTE and BYSECOND) or needs a coarser FREQ or a later start`,
      );
    if (subDaily && rule.bySetPos) {
      // Below a day, BYSETPOS picks within each unit (hour, minute or second) of the day.
      const unit = rule.freq === "HOURLY" ? HOUR : rule.freq === "MINUTELY" ? MINUTE : SECOND;
      const groups = new Map<number, number[]>();
      for (const c of candidates) {
        const group = groups.get(Math.floor(c / unit));
        if (group) group.push(c);
        else groups.set(Math.floor(c / unit), [c]);
      }
      candidates = [...groups.values()].flatMap((g) => setPositions(rule, g));
    } else candidates = setPositions(rule, candidates);
    for (const c of candidates) {
      if (c < r.dtstart) continue;
      if (rule.until !== undefined && c > rule.until) return out;
      if (rule.count !== undefined && ++counted > rule.count) return out;
      if (c > to) return out;
      if (c >= from) {
        out.push(c);
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
