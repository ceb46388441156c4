import { test } from "node:test";
import assert from "node:assert/strict";
import { durationMillis, parseDuration, positiveDuration } from "./duration.ts";

test("durations add up their parts", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("2m"), 120_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("64h"), 64 * 3_600_000);
  assert.equal(parseDuration("1.5s"), 1500);
});

test("malformed durations are undefined or a RangeError", () => {
  for (const bad of ["", "10", "5 m", "1d", "-1s", "m"]) {
    assert.equal(durationMillis(bad), undefined, bad);
    assert.throws(() => parseDuration(bad), RangeError);
  }
});

test("a positive duration rejects zero with its own message and garbage with the format message", () => {
  assert.equal(positiveDuration.safeParse("30s").success, true);
  assert.match(positiveDuration.safeParse("0s").error?.issues[0].message ?? "", /greater than zero/);
  const garbage = positiveDuration.safeParse("soon").error?.issues ?? [];
  assert.equal(garbage.length, 1);
  assert.match(garbage[0].message, /must be a duration/);
});
