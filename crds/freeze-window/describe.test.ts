import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFreezeWindow } from "./describe.ts";

const described = (rrule: string, extra: { timeZone?: string; duration?: string } = {}) =>
  describeFreezeWindow({ rrule, duration: extra.duration ?? "64h", timeZone: extra.timeZone });

test("the shapes operators write for freezes are put in words", () => {
  assert.equal(described("FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0"), "every Friday at 16:00 UTC for 64h");
  assert.equal(
    described("RRULE:FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=0", { timeZone: "Europe/Berlin", duration: "24h" }),
    "every Saturday and Sunday at 00:00 Europe/Berlin for 24h",
  );
  assert.equal(described("FREQ=DAILY;BYHOUR=22;BYMINUTE=30", { duration: "8h" }), "every day at 22:30 UTC for 8h");
  assert.equal(
    described("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;BYHOUR=9"),
    "Monday, Wednesday and Friday of every 2nd week at 09:00 UTC for 64h",
  );
  assert.equal(
    described("FREQ=MONTHLY;BYMONTHDAY=1,-1;BYHOUR=0", { duration: "1d" }),
    "on the last and 1st of every month at 00:00 UTC for 1d",
  );
  assert.equal(described("FREQ=DAILY"), "every day for 64h");
});

test("any other rule is shown as written", () => {
  for (const rrule of [
    "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16",
    "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
    "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16,17",
    "FREQ=WEEKLY;BYDAY=FR;COUNT=3;BYHOUR=16",
    "FREQ=HOURLY",
    "FREQ=WEEKLY;BYDAY=XX",
  ])
    assert.equal(described(rrule), rrule);
});
