import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../command.ts";
import { parseTimeFlag } from "./time-flag.ts";

const now = new Date("2030-01-01T12:00:00.000Z");

test("durations count back from now; RFC 3339 times pass as given", () => {
  assert.equal(parseTimeFlag("1h", "since", now), "2030-01-01T11:00:00.000Z");
  assert.equal(parseTimeFlag("90s", "since", now), "2030-01-01T11:58:30.000Z");
  assert.equal(parseTimeFlag("2d", "until", now), "2029-12-30T12:00:00.000Z");
  assert.equal(parseTimeFlag("2024-05-01T12:00:00+02:00", "since", now), "2024-05-01T12:00:00+02:00");
});

test("anything else is a usage error naming the flag", () => {
  for (const bad of ["yesterday", "1w", "0s", "2024-05-01", ""])
    assert.throws(
      () => parseTimeFlag(bad, "since", now),
      (err: Error) => err instanceof UsageError && err.message.includes("--since"),
      bad,
    );
});
