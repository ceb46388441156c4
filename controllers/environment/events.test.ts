import { test } from "node:test";
import assert from "node:assert/strict";
import type { EnvironmentStatus } from "../../crds/environment.ts";
import { environmentEvents } from "./events.ts";

const notes = (before: EnvironmentStatus | undefined, after: EnvironmentStatus) =>
  environmentEvents(before, after).map((n) => `${n.type} ${n.reason}: ${n.message}`);

const ready = (status: "True" | "False", reason: string, message: string) => [
  { type: "Ready", status, reason, message, lastTransitionTime: "t" },
];

test("an environment tells it degraded (with why), recovered and which release runs now, once each", () => {
  const up: EnvironmentStatus = { phase: "Ready", conditions: ready("True", "TargetsReady", "1/1 targets ready") };
  const down: EnvironmentStatus = {
    phase: "Degraded",
    conditions: ready("False", "AllTargetsCordoned", "0/0 targets ready; cordoned: a"),
  };
  assert.deepEqual(notes(up, down), ["Warning AllTargetsCordoned: 0/0 targets ready; cordoned: a"]);
  assert.deepEqual(notes(down, down), [], "no repeat while it stays degraded");
  assert.deepEqual(notes(down, up), ["Normal Recovered: 1/1 targets ready"]);

  const running = (release: string, rollback?: boolean): EnvironmentStatus => ({
    ...up,
    current: { release, deployment: `${release}-prod`, deployedAt: "t", ...(rollback ? { rollback } : {}) },
  });
  assert.deepEqual(notes(up, running("shop-1-4-0")), ["Normal ReleaseChanged: now running shop-1-4-0"]);
  assert.deepEqual(notes(running("shop-1-4-0"), running("shop-1-4-0")), []);
  assert.deepEqual(notes(running("shop-1-5-0"), running("shop-1-4-0", true)), [
    "Normal ReleaseChanged: now running shop-1-4-0 (rollback)",
  ]);
});
