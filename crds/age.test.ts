import { test } from "node:test";
import assert from "node:assert/strict";
import { humanAge, humanDuration } from "./age.ts";

test("durations read as kubectl prints them", () => {
  assert.equal(humanDuration(45_000), "45s");
  assert.equal(humanDuration(119_000), "119s");
  assert.equal(humanDuration(5 * 60_000 + 10_000), "5m10s");
  assert.equal(humanDuration(5 * 60_000), "5m");
  assert.equal(humanDuration(90 * 60_000), "90m");
  assert.equal(humanDuration(5 * 3600_000), "5h");
  assert.equal(humanDuration(3 * 86400_000), "3d");
  assert.equal(humanDuration(800 * 86400_000), "2y");
  assert.equal(humanDuration(-5), "0s");
});

test("ages of timestamps, unknown when absent", () => {
  const now = Date.parse("2026-01-01T00:10:00Z");
  assert.equal(humanAge("2026-01-01T00:00:00Z", now), "10m");
  assert.equal(humanAge(undefined, now), "<unknown>");
  assert.equal(humanAge("yesterday", now), "<unknown>");
});
