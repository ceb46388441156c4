import { test } from "node:test";
import assert from "node:assert/strict";
import type { FreezeWindow } from "../../../crds/environment.ts";
import { InvalidFreezeWindow } from "../../../crds/freeze-window/errors.ts";
import { openFreezeWindow } from "../../../crds/freeze-window/evaluate.ts";
import { freezeGate } from "./gate.ts";
import { fixtureEnvironment, fixtureRequest } from "../testing/fixture.ts";

// The shop example's prod window: Friday 16:00 UTC until Monday 08:00 UTC.
const WEEKEND: FreezeWindow = { rrule: "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0", duration: "64h" };
const CREATED = new Date("2026-01-07T10:23:47.123Z"); // a Wednesday; its seconds must not leak into the rule
const iso = (d: Date | undefined) => d?.toISOString().replace(".000Z", "Z");
const check = (windows: FreezeWindow[], now: string, created = CREATED) =>
  openFreezeWindow(windows, new Date(now), created);

test("the example's weekend freeze at the instants that matter", () => {
  const before = check([WEEKEND], "2026-11-27T15:59:00Z");
  assert.equal(before.open, undefined);
  assert.equal(iso(before.next?.start), "2026-11-27T16:00:00Z");
  for (const now of ["2026-11-27T16:00:00Z", "2026-11-29T12:00:00Z", "2026-11-30T07:59:59Z"]) {
    const frozen = check([WEEKEND], now);
    assert.equal(iso(frozen.open?.start), "2026-11-27T16:00:00Z", now);
    assert.equal(iso(frozen.until), "2026-11-30T08:00:00Z", now);
  }
  const after = check([WEEKEND], "2026-11-30T08:00:00Z");
  assert.equal(after.open, undefined);
  assert.equal(iso(after.next?.start), "2026-12-04T16:00:00Z");
});

test("freezeGate: Pending until the window ends, with the window, the rule and the reason", async () => {
  const environment = fixtureEnvironment({
    freezeWindows: [
      { name: "weekend", rrule: "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16", duration: "64h", reason: "no Friday deploys" },
    ],
  });
  const now = new Date("2026-11-28T10:00:00Z");
  const result = await freezeGate.evaluate(fixtureRequest({ environment, now }));
  assert.equal(result.verdict, "Pending");
  assert.equal(
    result.message,
    'frozen by window "weekend" (FREQ=WEEKLY;BYDAY=FR;BYHOUR=16) until 2026-11-30T08:00:00Z: no Friday deploys',
  );
  assert.equal(result.retryAfterMs, Date.parse("2026-11-30T08:00:00Z") - now.getTime());
  assert.equal((result.inputs?.frozen as Record<string, unknown>).start, "2026-11-27T16:00:00Z");
  assert.equal(result.inputs?.frozenUntil, "2026-11-30T08:00:00Z");
});

test("freezeGate: Passed outside the window, naming the next one", async () => {
  const environment = fixtureEnvironment({ freezeWindows: [WEEKEND] });
  const result = await freezeGate.evaluate(fixtureRequest({ environment, now: new Date("2026-11-30T08:00:00Z") }));
  assert.equal(result.verdict, "Passed");
  assert.equal(
    result.message,
    "no freeze window open at 2026-11-30T08:00:00Z; the next, freezeWindows[0] (FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0), opens at 2026-12-04T16:00:00Z",
  );
  assert.equal(result.inputs?.windows, 1);
  assert.equal(result.inputs?.now, "2026-11-30T08:00:00Z");
  const none = await freezeGate.evaluate(fixtureRequest({ environment: fixtureEnvironment() }));
  assert.deepEqual([none.verdict, none.message], ["Passed", "no freeze windows"]);
});

test("a window already open when the environment was created still freezes it", () => {
  const frozen = check([WEEKEND], "2026-01-10T12:00:00Z", new Date("2026-01-10T10:00:00Z")); // created on a Saturday
  assert.equal(iso(frozen.open?.start), "2026-01-09T16:00:00Z");
  assert.equal(iso(frozen.until), "2026-01-12T08:00:00Z");
});

test("a time zone: 16:00 Berlin is 14:00 UTC in summer and 15:00 UTC in winter", () => {
  const berlin: FreezeWindow = { ...WEEKEND, timeZone: "Europe/Berlin" };
  assert.equal(check([berlin], "2026-07-03T13:59:59Z").open, undefined);
  const summer = check([berlin], "2026-07-03T14:00:00Z");
  assert.equal(iso(summer.until), "2026-07-06T06:00:00Z"); // Monday 08:00 CEST
  assert.equal(check([berlin], "2027-01-08T14:30:00Z").open, undefined); // 15:30 CET
  const winter = check([berlin], "2027-01-08T15:00:00Z");
  assert.equal(iso(winter.until), "2027-01-11T07:00:00Z"); // Monday 08:00 CET
  // Across the end of summer time (Sunday 25 October 2026) 64h are 64 elapsed hours: Monday 07:00 CET.
  const change = check([berlin], "2026-10-24T12:00:00Z");
  assert.equal(iso(change.open?.start), "2026-10-23T14:00:00Z");
  assert.equal(iso(change.until), "2026-10-26T06:00:00Z");
});

test("a daily window in a zone through a spring-forward gap (RFC 5545: the offset from before the gap)", () => {
  const nightly: FreezeWindow = {
    rrule: "FREQ=DAILY;BYHOUR=2;BYMINUTE=30",
    duration: "1h",
    timeZone: "America/New_York",
  };
  assert.equal(iso(check([nightly], "2026-03-07T08:00:00Z").open?.start), "2026-03-07T07:30:00Z"); // 02:30 EST
  assert.equal(iso(check([nightly], "2026-03-08T08:00:00Z").open?.start), "2026-03-08T07:30:00Z"); // 02:30 does not exist: 03:30 EDT
  assert.equal(iso(check([nightly], "2026-03-09T07:00:00Z").open?.start), "2026-03-09T06:30:00Z"); // 02:30 EDT
});

test("a DAILY rule freezes every night across midnight", () => {
  const nightly: FreezeWindow = { rrule: "FREQ=DAILY;BYHOUR=22", duration: "8h" };
  assert.equal(iso(check([nightly], "2026-11-25T23:00:00Z").until), "2026-11-26T06:00:00Z");
  assert.equal(iso(check([nightly], "2026-11-26T05:59:59Z").until), "2026-11-26T06:00:00Z");
  const day = check([nightly], "2026-11-26T06:00:00Z");
  assert.equal(day.open, undefined);
  assert.equal(iso(day.next?.start), "2026-11-26T22:00:00Z");
});

test("COUNT and UNTIL end a window's recurrence", () => {
  const three: FreezeWindow = { rrule: "FREQ=DAILY;COUNT=3", start: "2026-11-02T09:00:00Z", duration: "1h" };
  assert.ok(check([three], "2026-11-04T09:30:00Z").open);
  assert.deepEqual(check([three], "2026-11-05T09:30:00Z"), { next: undefined });
  const mondays: FreezeWindow = {
    rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;UNTIL=20261116T090000Z",
    start: "2026-11-01T00:00:00Z",
    duration: "1h",
  };
  assert.ok(check([mondays], "2026-11-16T09:30:00Z").open);
  assert.deepEqual(check([mondays], "2026-11-23T09:30:00Z"), { next: undefined });
  // UNTIL in UTC against a zone: 09:00 Berlin on 16 November is 08:00Z, after UNTIL 07:30Z.
  const berlin: FreezeWindow = {
    ...mondays,
    rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;UNTIL=20261116T073000Z",
    timeZone: "Europe/Berlin",
  };
  assert.ok(check([berlin], "2026-11-09T08:30:00Z").open);
  assert.equal(check([berlin], "2026-11-16T08:30:00Z").open, undefined);
});

test("windows that overlap or adjoin freeze until the last one closes", () => {
  const morning: FreezeWindow = { name: "morning", rrule: "FREQ=DAILY;BYHOUR=10", duration: "2h" };
  const noon: FreezeWindow = { name: "noon", rrule: "FREQ=DAILY;BYHOUR=12", duration: "1h" };
  const late: FreezeWindow = { name: "late", rrule: "FREQ=DAILY;BYHOUR=11", duration: "4h" };
  assert.equal(iso(check([morning, noon], "2026-11-25T10:30:00Z").until), "2026-11-25T13:00:00Z");
  const overlapping = check([morning, late], "2026-11-25T11:30:00Z");
  assert.equal(overlapping.open?.window.name, "late");
  assert.equal(iso(overlapping.until), "2026-11-25T15:00:00Z");
});

test("a window that cannot be evaluated is an Error verdict, never Passed", async () => {
  assert.throws(
    () => check([{ ...WEEKEND, timeZone: "Mars/Olympus_Mons" }], "2026-11-25T12:00:00Z"),
    (err) => err instanceof InvalidFreezeWindow && err.field === "timeZone",
  );
  assert.throws(
    () => check([WEEKEND, { rrule: "FREQ=WEEKLY;BYHOUR=25", duration: "1h" }], "2026-11-25T12:00:00Z"),
    (err) => err instanceof InvalidFreezeWindow && err.index === 1 && err.field === "rrule",
  );
  const environment = fixtureEnvironment({ freezeWindows: [{ rrule: "FREQ=WEEKLY;BYDAY=XX", duration: "1h" }] });
  const result = await freezeGate.evaluate(fixtureRequest({ environment }));
  assert.equal(result.verdict, "Error");
  assert.equal(result.retryAfterMs, undefined);
  assert.match(
    result.message,
    /freezeWindows\[0\]: rule "FREQ=WEEKLY;BYDAY=XX" is not a valid RFC 5545 RRULE: BYDAY=XX/,
  );
});
