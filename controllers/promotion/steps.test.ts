import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { finishStep, isReady, planSteps, skipUnfinished, startStep } from "./steps.ts";

describe("the step DAG", () => {
  it("chains the gates, then approval, deploy and verify, with one notify step per notification after verify", () => {
    const steps = planSteps(["upstream", "soak"], ["chat", "pager"]);
    assert.deepEqual(
      steps.map((s) => [s.name, s.dependsOn ?? []]),
      [
        ["gate-upstream", []],
        ["gate-soak", ["gate-upstream"]],
        ["approval", ["gate-soak"]],
        ["deploy", ["approval"]],
        ["verify", ["deploy"]],
        ["notify-chat", ["verify"]],
        ["notify-pager", ["verify"]],
      ],
    );
    assert.deepEqual(
      planSteps([], []).map((s) => [s.name, s.dependsOn ?? []]),
      [
        ["approval", []],
        ["deploy", ["approval"]],
        ["verify", ["deploy"]],
      ],
    );
  });

  it("runs a step once its dependencies succeeded or were skipped, and never again once finished", () => {
    let steps = planSteps(["upstream"], ["chat"]);
    assert.ok(isReady(steps, "gate-upstream"));
    assert.ok(!isReady(steps, "approval"));
    steps = finishStep(steps, "gate-upstream", "Succeeded", "t1");
    assert.ok(isReady(steps, "approval"));
    steps = finishStep(steps, "approval", "Skipped", "t2");
    assert.ok(isReady(steps, "deploy"));
    steps = finishStep(startStep(steps, "deploy", "t3"), "deploy", "Succeeded", "t4");
    assert.ok(!isReady(steps, "deploy"), "a finished step is not run again");
    assert.deepEqual(
      steps.find((s) => s.name === "deploy"),
      { name: "deploy", phase: "Succeeded", dependsOn: ["approval"], startedAt: "t3", attempts: 1, completedAt: "t4" },
    );
  });

  it("skips what an early end leaves unfinished, but still runs the notify steps", () => {
    let steps = planSteps(["soak"], ["chat"]);
    steps = finishStep(startStep(steps, "gate-soak", "t1"), "gate-soak", "Failed", "t2", "too short");
    assert.ok(!isReady(steps, "approval"), "a failed dependency blocks");
    steps = skipUnfinished(steps, "not run: the promotion ended Failed", "t3");
    assert.deepEqual(
      steps.map((s) => s.phase),
      ["Failed", "Skipped", "Skipped", "Skipped", "Pending"],
    );
    assert.ok(isReady(steps, "notify-chat"), "a notification reports any outcome");
  });

  it("counts attempts across restarts of a step and keeps its first start", () => {
    let steps = planSteps([], ["chat"]);
    steps = startStep(steps, "notify-chat", "t1");
    steps = startStep(steps, "notify-chat", "t2");
    assert.deepEqual([steps.at(-1)?.attempts, steps.at(-1)?.startedAt], [2, "t1"]);
  });
});
