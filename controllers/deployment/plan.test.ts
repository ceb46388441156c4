import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TargetRollout } from "../../crds/deployment.ts";
import { batchOf, currentBatch, failureBudgetExceeded, staggerEndsAt, stopsFirst, targetsToStart } from "./plan.ts";

const rolling = { type: "Rolling" as const, maxParallel: 2, stagger: "10s" };
const targets = (...phases: TargetRollout["phase"][]): TargetRollout[] =>
  phases.map((phase, i) => ({ name: `t${i}`, phase, batch: batchOf(rolling, i) }));

describe("deployment plan", () => {
  it("puts Rolling targets in batches of maxParallel and everything else in one batch", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => batchOf(rolling, i)),
      [0, 0, 1, 1, 2],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => batchOf({ type: "Rolling" }, i)),
      [0, 1, 2, 3],
    );
    assert.deepEqual(
      [0, 5].map((i) => batchOf({ type: "BlueGreen" }, i)),
      [0, 0],
    );
  });

  it("starts the first batch, then the next only after it finished and the stagger passed", () => {
    const now = Date.parse("2026-01-01T00:00:30Z");
    assert.deepEqual(
      targetsToStart(rolling, targets("Pending", "Pending", "Pending"), now, false).map((t) => t.name),
      ["t0", "t1"],
    );
    const half = targets("Succeeded", "Progressing", "Pending");
    assert.deepEqual(targetsToStart(rolling, half, now, false), []);
    const done = targets("Succeeded", "Succeeded", "Pending").map((t, i) =>
      i < 2 ? { ...t, completedAt: "2026-01-01T00:00:25Z" } : t,
    );
    assert.deepEqual(targetsToStart(rolling, done, now, false), [], "stagger of 10s not over");
    assert.equal(staggerEndsAt(rolling, done), Date.parse("2026-01-01T00:00:35Z"));
    assert.deepEqual(
      targetsToStart(rolling, done, now + 5000, false).map((t) => t.name),
      ["t2"],
    );
  });

  it("starts nothing while paused, and nothing once every target finished", () => {
    assert.deepEqual(targetsToStart(rolling, targets("Pending"), 0, true), []);
    assert.equal(currentBatch(targets("Succeeded", "Failed", "RolledBack")), undefined);
  });

  it("fails on the first failure unless maxFailureRatio allows some", () => {
    const oneFailed = targets("Succeeded", "Failed", "Succeeded", "Succeeded");
    assert.equal(failureBudgetExceeded({ type: "AllAtOnce" }, oneFailed), true);
    assert.equal(failureBudgetExceeded({ type: "AllAtOnce", maxFailureRatio: 0.25 }, oneFailed), false);
    assert.equal(
      failureBudgetExceeded(
        { type: "AllAtOnce", maxFailureRatio: 0.25 },
        targets("Failed", "Failed", "Succeeded", "Succeeded"),
      ),
      true,
    );
  });

  it("stops the old units first only for Rolling with maxUnavailable of at least 1", () => {
    assert.equal(stopsFirst({ type: "Rolling", maxUnavailable: 1 }), true);
    assert.equal(stopsFirst({ type: "Rolling", maxUnavailable: 0 }), false);
    assert.equal(stopsFirst({ type: "AllAtOnce" }), false);
  });
});
