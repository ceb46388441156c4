import { test } from "node:test";
import assert from "node:assert/strict";
import { fromWallClock, isTimeZone, wallClock } from "./time-zone.ts";

const wall = (s: string) => new Date(`${s}Z`); // a floating wall-clock time

test("wall clock in a zone, summer and winter", () => {
  assert.equal(wallClock(new Date("2026-07-03T14:00:00Z"), "Europe/Berlin").toISOString(), "2026-07-03T16:00:00.000Z");
  assert.equal(wallClock(new Date("2026-01-09T15:00:00Z"), "Europe/Berlin").toISOString(), "2026-01-09T16:00:00.000Z");
  assert.equal(wallClock(new Date("2026-01-09T15:00:00.250Z"), "UTC").toISOString(), "2026-01-09T15:00:00.250Z");
});

test("fromWallClock inverts wallClock", () => {
  for (const zone of ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "UTC"]) {
    for (const at of ["2026-03-08T12:34:56Z", "2026-07-01T00:00:00Z", "2026-11-01T08:00:00Z", "2026-12-31T23:59:59Z"]) {
      const instant = new Date(at);
      assert.equal(fromWallClock(wallClock(instant, zone), zone).toISOString(), instant.toISOString(), `${zone} ${at}`);
    }
  }
});

test("a time in the spring-forward gap takes the offset from before the gap (RFC 5545)", () => {
  // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist and means 03:30 EDT.
  assert.equal(
    fromWallClock(wall("2026-03-08T02:30:00"), "America/New_York").toISOString(),
    "2026-03-08T07:30:00.000Z",
  );
});

test("a repeated time in the fall-back hour is the first of the two", () => {
  // New York, 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
  assert.equal(
    fromWallClock(wall("2026-11-01T01:30:00"), "America/New_York").toISOString(),
    "2026-11-01T05:30:00.000Z",
  );
});

test("isTimeZone knows IANA names and refuses others", () => {
  assert.equal(isTimeZone("Europe/Berlin"), true);
  assert.equal(isTimeZone("UTC"), true);
  assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
});
