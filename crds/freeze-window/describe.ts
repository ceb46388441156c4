// A freeze window in words, for people reading the pipeline: "every Friday at 16:00 UTC for 64h"
// instead of its RFC 5545 rule. Only the shapes operators write for freezes (daily, weekly on some
// weekdays, monthly on some days, each at one time of day) are put in words; any other rule is
// shown as written, which is exact if not friendly.
import type { FreezeWindow } from "../environment.ts";
import { parseRecurrenceRule, type RecurrenceRule } from "./recurrence-rule.ts";

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const list = (items: string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

const ordinal = (n: number): string => {
  if (n < 0) return n === -1 ? "last" : `${ordinal(-n)} from last`;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
};

/** "at 16:00" for one hour and minute; undefined when the rule gives no single time of day. */
function timeOfDay(rule: RecurrenceRule): string | undefined {
  if (rule.byHour?.length !== 1 || (rule.byMinute && rule.byMinute.length !== 1)) return undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `at ${pad(rule.byHour[0])}:${pad(rule.byMinute?.[0] ?? 0)}`;
}

/** Which days, in words; undefined for a shape not put in words. */
function days(rule: RecurrenceRule): string | undefined {
  const every = rule.interval === 1 ? "every" : `every ${ordinal(rule.interval)}`;
  const plainWeekdays = rule.byDay?.every((d) => d.n === undefined);
  const others = rule.bySecond || rule.byYearDay || rule.byWeekNo || rule.byMonth || rule.bySetPos;
  if (others || rule.byDay?.length === 0) return undefined;
  if (rule.freq === "DAILY" && !rule.byDay && !rule.byMonthDay)
    return rule.interval === 1 ? "every day" : `${every} day`;
  if (rule.freq === "WEEKLY" && !rule.byMonthDay) {
    if (!rule.byDay) return rule.interval === 1 ? "every week" : `${every} week`;
    if (!plainWeekdays) return undefined;
    const names = list(rule.byDay.map((d) => DAY_NAMES[d.weekday]));
    return rule.interval === 1 ? `every ${names}` : `${names} of ${every} week`;
  }
  if (rule.freq === "MONTHLY" && rule.byMonthDay && !rule.byDay)
    return `on the ${list(rule.byMonthDay.map(ordinal))} of ${every} month`;
  return undefined;
}

/** The window in words, e.g. "every Friday at 16:00 UTC for 64h"; the rule as written when it is of another shape. */
export function describeFreezeWindow(window: FreezeWindow): string {
  let rule: RecurrenceRule;
  try {
    rule = parseRecurrenceRule(window.rrule);
  } catch {
    return window.rrule;
  }
  const when = days(rule);
  const time = timeOfDay(rule);
  if (!when || rule.count !== undefined || rule.until !== undefined) return window.rrule;
  if (!time && (rule.byHour || rule.byMinute)) return window.rrule;
  const zone = window.timeZone ?? "UTC";
  return `${when}${time ? ` ${time} ${zone}` : ""} for ${window.duration}`;
}
