import { test } from "node:test";
import assert from "node:assert/strict";
import * as rruleModule from "rrule";
import { InvalidRecurrenceRule } from "./errors.ts";
import { expandRecurrence } from "./recurrence.ts";
import { parseRecurrenceRule } from "./recurrence-rule.ts";

// The `rrule` package (a devDependency) is the reference for rules it handles; it runs only here.
const rrule = (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

const ms = (s: string) => Date.parse(s.endsWith("Z") ? s : `${s}Z`);
const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "");
const expand = (rule: string, dtstart: string, from: string, to: string, limit?: number) =>
  expandRecurrence({ rule: parseRecurrenceRule(rule), dtstart: ms(dtstart) }, ms(from), ms(to), limit).map(iso);

test("the shop example's rule: Fridays at 16:00", () => {
  assert.deepEqual(
    expand("FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0", "2026-11-01T00:00:00", "2026-11-01", "2026-12-01"),
    ["2026-11-06T16:00:00", "2026-11-13T16:00:00", "2026-11-20T16:00:00", "2026-11-27T16:00:00"],
  );
});

test("parts missing from the rule come from DTSTART", () => {
  assert.deepEqual(expand("FREQ=DAILY", "2026-11-01T09:30:15", "2026-11-01", "2026-11-03T23:00:00"), [
    "2026-11-01T09:30:15",
    "2026-11-02T09:30:15",
    "2026-11-03T09:30:15",
  ]);
  assert.deepEqual(expand("FREQ=WEEKLY;COUNT=2", "2026-11-04T08:00:00", "2026-01-01", "2027-01-01"), [
    "2026-11-04T08:00:00",
    "2026-11-11T08:00:00",
  ]);
  assert.deepEqual(expand("FREQ=MONTHLY;COUNT=3", "2026-01-31T08:00:00", "2026-01-01", "2027-01-01"), [
    "2026-01-31T08:00:00",
    "2026-03-31T08:00:00",
    "2026-05-31T08:00:00",
  ]);
  assert.deepEqual(expand("FREQ=YEARLY;COUNT=2", "2024-02-29T00:00:00", "2024-01-01", "2040-01-01"), [
    "2024-02-29T00:00:00",
    "2028-02-29T00:00:00",
  ]);
});

test("COUNT counts from DTSTART; UNTIL is inclusive", () => {
  assert.deepEqual(expand("FREQ=DAILY;COUNT=3", "2026-11-02T09:00:00", "2026-11-03", "2026-12-01"), [
    "2026-11-03T09:00:00",
    "2026-11-04T09:00:00",
  ]);
  assert.deepEqual(
    expand("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;UNTIL=20261116T090000Z", "2026-11-01T00:00:00", "2026-11-01", "2026-12-31"),
    ["2026-11-02T09:00:00", "2026-11-09T09:00:00", "2026-11-16T09:00:00"],
  );
});

test("BYSETPOS: the last weekday of each month", () => {
  assert.deepEqual(
    expand(
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=18",
      "2026-01-01T00:00:00",
      "2026-01-01",
      "2026-04-01",
    ),
    ["2026-01-30T18:00:00", "2026-02-27T18:00:00", "2026-03-31T18:00:00"],
  );
});

test("minutes counted from DTSTART across skipped days (python-dateutil agrees; rrule 2.8.1 drifts here)", () => {
  const got = expand("FREQ=MINUTELY;INTERVAL=7;BYDAY=WE;BYHOUR=13", "2026-01-07T10:23:47", "2026-01-01", "2026-01-22");
  assert.equal(got.length, 24);
  assert.deepEqual(got.slice(0, 3), ["2026-01-07T13:04:47", "2026-01-07T13:11:47", "2026-01-07T13:18:47"]);
  assert.deepEqual(got.slice(8, 9), ["2026-01-14T13:04:47"]); // a week is 1440 steps of 7 minutes
});

test("rules that can never match end instead of hanging", () => {
  assert.deepEqual(expand("FREQ=HOURLY;INTERVAL=2;BYHOUR=3", "2026-01-01T00:00:00", "2026-01-01", "2030-01-01"), []);
  assert.deepEqual(expand("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01T00:00:00", "2026-01-01", "2036-01-01"), []);
  assert.deepEqual(expand("FREQ=DAILY;BYSETPOS=2", "2026-01-01T00:00:00", "2026-01-01", "2036-01-01"), []);
});

test("an expansion past the budget is refused, not run", () => {
  assert.throws(
    () => expand("FREQ=SECONDLY;INTERVAL=7", "2026-01-01T00:00:00", "2026-01-01", "2026-03-01"),
    InvalidRecurrenceRule,
  );
});

test("invalid rules are refused with the part that is wrong", () => {
  const problem = (rule: string) => {
    try {
      parseRecurrenceRule(rule);
      return "accepted";
    } catch (err) {
      assert.ok(err instanceof InvalidRecurrenceRule);
      return err.message;
    }
  };
  assert.match(problem("FREQ=WEEKLY;BYHOUR=25"), /^BYHOUR=25: expected hours 0 to 23/);
  assert.match(problem("FREQ=WEEKLY;BYDAY=XX"), /^BYDAY=XX: expected a weekday/);
  assert.match(problem("FREQ=WEEKLY;FOO=1"), /unknown part "FOO"/);
  assert.match(problem("BYDAY=FR"), /FREQ is missing/);
  assert.match(problem("FREQ=DAILY;COUNT=2;UNTIL=20261231"), /COUNT and UNTIL/);
  assert.match(problem("FREQ=WEEKLY;BYDAY=1FR"), /numbered BYDAY/);
  assert.match(problem("FREQ=MONTHLY;BYWEEKNO=3"), /BYWEEKNO needs FREQ=YEARLY/);
  assert.match(problem("FREQ=WEEKLY;BYMONTHDAY=3"), /BYMONTHDAY cannot be used with FREQ=WEEKLY/);
  assert.match(problem("FREQ=DAILY;INTERVAL=0"), /INTERVAL=0: expected a whole number of at least 1/);
  assert.match(problem("FREQ=DAILY;UNTIL=20260230"), /UNTIL=20260230: is not a valid date-time/);
  assert.equal(problem("RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0"), "accepted");
});

// Rules of every FREQ and part, each compared with the `rrule` package over a range of dates (this
// list, with BYWEEKNO=53, -53SU and sub-daily BYSETPOS cases, also matched python-dateutil exactly).
const REFERENCE_RULES = [
  "FREQ=YEARLY",
  "FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9;BYMONTHDAY=1,-1",
  "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
  "FREQ=YEARLY;BYDAY=1MO,-1FR",
  "FREQ=YEARLY;BYYEARDAY=1,100,-1",
  "FREQ=YEARLY;BYWEEKNO=1,20,-1;BYDAY=MO",
  "FREQ=YEARLY;BYWEEKNO=10;WKST=SU",
  "FREQ=YEARLY;BYMONTH=6;BYDAY=MO,FR;BYSETPOS=1,-1",
  "FREQ=MONTHLY;BYMONTHDAY=15,-2",
  "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU,-1SU",
  "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
  "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=3;BYHOUR=9,17",
  "FREQ=MONTHLY;BYMONTH=1,7;BYDAY=SA,SU",
  "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0",
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO",
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
  "FREQ=WEEKLY;BYMONTH=12;BYDAY=WE;BYHOUR=8,20;BYMINUTE=0,30",
  "FREQ=DAILY;INTERVAL=3",
  "FREQ=DAILY;BYDAY=SA,SU;BYHOUR=0",
  "FREQ=DAILY;BYMONTH=12;BYMONTHDAY=24,25,26;BYHOUR=12",
  "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;COUNT=40",
  "FREQ=DAILY;UNTIL=20270315T000000Z",
];
const SUB_DAILY_RULES = [
  "FREQ=HOURLY;INTERVAL=5",
  "FREQ=HOURLY;BYDAY=MO;BYMINUTE=0,30",
  "FREQ=HOURLY;INTERVAL=3;BYHOUR=1,4,13,22",
  "FREQ=MINUTELY;INTERVAL=15;BYHOUR=9,10",
  "FREQ=SECONDLY;INTERVAL=20;BYHOUR=6;BYMINUTE=30",
];

for (const [rules, span] of [
  [REFERENCE_RULES, "2029-06-01T00:00:00"],
  [SUB_DAILY_RULES, "2026-11-10T00:00:00"],
] as const) {
  for (const rule of rules) {
    test(`matches the rrule package: ${rule}`, () => {
      for (const dtstart of ["2026-01-07T10:23:47", "2026-11-01T16:00:00"]) {
        const reference = new rrule.RRule({ ...rrule.RRule.parseString(rule), dtstart: new Date(ms(dtstart)) }, true);
        const want = reference
          .between(new Date(ms("2026-01-01")), new Date(ms(span)), true)
          .map((d) => iso(d.getTime()));
        assert.ok(want.length > 0, "the reference finds occurrences");
        assert.deepEqual(expand(rule, dtstart, "2026-01-01", span), want, `DTSTART ${dtstart}`);
        // From the middle of the range (no COUNT: expansion starts at the period that holds it).
        const mid = want[Math.floor(want.length / 2)];
        assert.deepEqual(
          expand(rule, dtstart, mid, span),
          want.filter((t) => t >= mid),
          `from ${mid}`,
        );
      }
    });
  }
}
