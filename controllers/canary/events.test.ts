import { test } from "node:test";
import assert from "node:assert/strict";
import type { Canary, CanaryStatus } from "../../crds/canary.ts";
import { canaryEvents } from "./events.ts";

const c = {
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Canary",
  metadata: { name: "shop-web-1-5-0", namespace: "shop" },
  spec: { release: "shop-1-5-0", environment: "prod", component: "web" },
} as unknown as Canary;
const reasons = (before: CanaryStatus | undefined, after: CanaryStatus) =>
  canaryEvents(c, before, after).map((n) => `${n.type} ${n.reason}`);

test("a canary tells its start, each confirmed weight, its analysis verdicts and its end, once each", () => {
  const started: CanaryStatus = {
    phase: "Progressing",
    startedAt: "2026-12-06T10:00:00Z",
    stableRelease: "shop-1-4-0",
    currentStepIndex: 0,
    currentWeight: 10,
  };
  assert.deepEqual(reasons(undefined, started), ["Normal CanaryStarted", "Normal WeightSet"]);
  assert.deepEqual(
    canaryEvents(c, undefined, started).map((n) => n.message),
    ["canary of shop-1-5-0 from shop-1-4-0 in prod (web)", "canary weight 10% at step 0, confirmed by the router"],
  );
  assert.deepEqual(reasons(started, started), [], "no change, no event");

  const running: CanaryStatus = {
    ...started,
    currentStepIndex: 2,
    analysisRuns: [{ step: 2, phase: "Running", metrics: [{ name: "error-rate", phase: "Running" }] }],
  };
  assert.deepEqual(reasons(started, running), [], "a running analysis is no verdict yet");
  const failed: CanaryStatus = {
    ...running,
    phase: "Aborted",
    currentWeight: 0,
    message: "analysis failed: error-rate 0.2 >= 0.01",
    analysisRuns: [{ step: 2, phase: "Failed", metrics: [{ name: "error-rate", phase: "Failed" }] }],
  };
  assert.deepEqual(reasons(running, failed), ["Normal WeightSet", "Warning AnalysisFailed", "Warning CanaryAborted"]);
  const notes = canaryEvents(c, running, failed);
  assert.equal(notes[1].message, "analysis at step 2: Failed (error-rate Failed)");
  assert.equal(notes[2].message, "analysis failed: error-rate 0.2 >= 0.01");
});

test("pauses, their release, background verdicts, success and the scale-down are told", () => {
  const progressing: CanaryStatus = { phase: "Progressing", startedAt: "t", currentWeight: 50, currentStepIndex: 3 };
  const paused: CanaryStatus = { ...progressing, phase: "Paused", message: "paused until promoted" };
  assert.deepEqual(reasons(progressing, paused), ["Normal Paused"]);
  const resumed: CanaryStatus = { ...progressing, currentStepIndex: 4, message: "promoted" };
  assert.deepEqual(reasons(paused, resumed), ["Normal Resumed"]);
  const background: CanaryStatus = { ...resumed, analysisRuns: [{ phase: "Inconclusive" }] };
  assert.equal(canaryEvents(c, resumed, background)[0].message, "background analysis: Inconclusive");
  const done: CanaryStatus = { ...background, phase: "Succeeded", currentWeight: 100, message: "promoted fully" };
  assert.deepEqual(reasons(background, done), ["Normal WeightSet", "Normal CanarySucceeded"]);
  const scaled: CanaryStatus = { ...done, stableRelease: "shop-1-4-0", scaledDownAt: "t2" };
  assert.deepEqual(
    canaryEvents(c, done, scaled).map((n) => `${n.reason}: ${n.message}`),
    ["ScaledDown: the units of shop-1-4-0 were removed"],
  );
});
