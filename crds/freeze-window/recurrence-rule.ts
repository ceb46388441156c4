// An RFC 5545 (3.3.10) recurrence rule, parsed and checked: every part's values in range, and only
// the combinations the RFC defines (BYWEEKNO only with YEARLY, BYYEARDAY not with DAILY, WEEKLY or
// MONTHLY, BYMONTHDAY not with WEEKLY, numbered BYDAY only with MONTHLY or YEARLY). Messages say
// which part is wrong and what it accepts.
import { InvalidRecurrenceRule } from "./errors.ts";

/** FREQ values, from the finest. */
export const FREQUENCIES = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Weekday codes in RFC order; a weekday is its index (MO = 0). */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/** One BYDAY entry: a weekday, and `n` for "the nth of the month or year" (negative: from the end). */
export interface WeekdayNum {
  weekday: number;
  n?: number;
}

/** A parsed rule. UNTIL is wall-clock fields as a floating time; `untilUtc` when it ended in Z. */
export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count?: number;
  until?: number;
  untilUtc?: boolean;
  bySecond?: number[];
  byMinute?: number[];
  byHour?: number[];
  byDay?: WeekdayNum[];
  byMonthDay?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  wkst: number;
}

const numbers = (value: string, min: number, max: number, signed: boolean, words: string): number[] => {
  const out = value.split(",").map((v) => {
    if (!(signed ? /^[+-]?\d{1,3}$/ : /^\d{1,2}$/).test(v)) return NaN;
    const n = Number(v);
    return Math.abs(n) >= min && Math.abs(n) <= max ? n : NaN;
  });
  if (out.some(Number.isNaN)) throw new Error(`expected ${words}`);
  return [...new Set(out)].sort((a, b) => a - b);
};

const positive = (value: string): number => {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new Error("expected a whole number of at least 1");
  return Number(value);
};

const weekday = (code: string): number => {
  const i = WEEKDAYS.indexOf(code as (typeof WEEKDAYS)[number]);
  if (i < 0) throw new Error(`expected a weekday ${WEEKDAYS.join(", ")}`);
  return i;
};

/** Parses a rule (an `RRULE:` prefix is allowed). Throws InvalidRecurrenceRule naming the problem. */
export function parseRecurrenceRule(text: string): RecurrenceRule {
  const parts = new Map<string, string>();
  for (const part of text.replace(/^RRULE:/, "").split(";")) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    if (parts.has(name)) throw new InvalidRecurrenceRule(`${name} appears twice`);
    parts.set(name, eq < 0 ? "" : part.slice(eq + 1));
  }
  const rule: Partial<RecurrenceRule> = { interval: 1, wkst: 0 };
  for (const [name, value] of parts) {
    try {
      switch (name) {
        case "FREQ":
          if (!FREQUENCIES.includes(value as Frequency)) throw new Error(`expected one of ${FREQUENCIES.join(", ")}`);
          rule.freq = value as Frequency;
          break;
        case "INTERVAL":
          rule.interval = positive(value);
          break;
        case "COUNT":
          rule.count = positive(value);
          break;
        case "UNTIL": {
          const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
          if (!m) throw new Error("expected a date (20261231) or a date-time (20261231T160000Z)");
          const [y, mo, d, h = "0", mi = "0", s = "0"] = m.slice(1).map((x) => x ?? "0");
          rule.until = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
          if (new Date(rule.until).getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
            throw new Error("is not a valid date-time");
          rule.untilUtc = m[7] === "Z";
          break;
        }
        case "BYSECOND":
          rule.bySecond = numbers(value, 0, 59, false, "seconds 0 to 59, comma separated");
          break;
        case "BYMINUTE":
          rule.byMinute = numbers(value, 0, 59, false, "minutes 0 to 59, comma separated");
          break;
        case "BYHOUR":
          rule.byHour = numbers(value, 0, 23, false, "hours 0 to 23, comma separated");
          break;
        case "BYMONTHDAY":
          rule.byMonthDay = numbers(value, 1, 31, true, "days of the month 1 to 31 or -31 to -1");
          break;
        case "BYYEARDAY":
          rule.byYearDay = numbers(value, 1, 366, true, "days of the year 1 to 366 or -366 to -1");
          break;
        case "BYWEEKNO":
          rule.byWeekNo = numbers(value, 1, 53, true, "weeks 1 to 53 or -53 to -1");
          break;
        case "BYMONTH":
          rule.byMonth = numbers(value, 1, 12, false, "months 1 to 12");
          break;
        case "BYSETPOS":
          rule.bySetPos = numbers(value, 1, 366, true, "positions 1 to 366 or -366 to -1");
          break;
        case "WKST":
          rule.wkst = weekday(value);
          break;
        case "BYDAY":
          rule.byDay = value.split(",").map((d) => {
            const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(d);
            if (!m) throw new Error("expected weekdays such as FR or MO,TU, optionally numbered (1FR, -1SU)");
            const n = m[1] === undefined ? undefined : Number(m[1]);
            if (n !== undefined && (n === 0 || Math.abs(n) > 53))
              throw new Error("a weekday's number is 1 to 53 or -53 to -1");
            return { weekday: weekday(m[2]), n };
          });
          break;
        default:
          throw new InvalidRecurrenceRule(`unknown part ${JSON.stringify(name)}`);
      }
    } catch (err) {
      if (err instanceof InvalidRecurrenceRule) throw err;
      throw new InvalidRecurrenceRule(`${name}=${value}: ${(err as Error).message}`);
    }
  }
  if (!rule.freq) throw new InvalidRecurrenceRule("FREQ is missing");
  const r = rule as RecurrenceRule;
  const not = (what: string) => new InvalidRecurrenceRule(`${what} (RFC 5545 3.3.10)`);
  if (r.count !== undefined && r.until !== undefined) throw not("COUNT and UNTIL cannot both be given");
  if (r.byWeekNo && r.freq !== "YEARLY") throw not("BYWEEKNO needs FREQ=YEARLY");
  if (r.byYearDay && ["DAILY", "WEEKLY", "MONTHLY"].includes(r.freq))
    throw not(`BYYEARDAY cannot be used with FREQ=${r.freq}`);
  if (r.byMonthDay && r.freq === "WEEKLY") throw not("BYMONTHDAY cannot be used with FREQ=WEEKLY");
  if (r.byDay?.some((d) => d.n !== undefined)) {
    if (r.freq !== "MONTHLY" && r.freq !== "YEARLY")
      throw not("a numbered BYDAY (such as 1FR) needs FREQ=MONTHLY or YEARLY");
    if (r.byWeekNo) throw not("a numbered BYDAY cannot be used with BYWEEKNO");
    if ((r.freq === "MONTHLY" || r.byMonth) && r.byDay.some((d) => d.n !== undefined && Math.abs(d.n) > 5))
      throw not("within a month a weekday's number is 1 to 5 or -5 to -1");
  }
  return r;
}
