import { test } from "node:test";
import assert from "node:assert/strict";
import type { Measurement } from "../../crds/metric.ts";
import {
  type AnalysisState,
  KEPT_MEASUREMENTS,
  analysisOutcome,
  limitsOf,
  recordMeasurement,
  startAnalysis,
} from "./analysis.ts";
import type { MetricSpec } from "./measure.ts";

const T0 = new Date("2026-11-25T12:00:00Z");
const spec = (extra: Partial<MetricSpec> = {}): MetricSpec => ({
  provider: { web: { url: "http://127.0.0.1:1/", jsonPath: "$.v" } },
  ...extra,
});
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000).toISOString();
const m = (phase: Measurement["phase"], seconds: number): Measurement => ({
  phase,
  startedAt: at(seconds),
  finishedAt: at(seconds),
});
const run = (phases: [Measurement["phase"], number][]): AnalysisState =>
  phases.reduce((s, [p, t]) => recordMeasurement(s, m(p, t)), startAnalysis("d", T0));

test("one measurement by default, due at once", () => {
  const limits = limitsOf(spec());
  assert.deepEqual(analysisOutcome(startAnalysis("d", T0), limits), { phase: "Running", nextAt: T0 });
  assert.equal(analysisOutcome(run([["Successful", 0]]), limits).phase, "Successful");
  assert.equal(analysisOutcome(run([["Failed", 0]]), limits).phase, "Failed");
});

test("count measurements interval apart, the first after initialDelay", () => {
  const limits = limitsOf(spec({ count: 3, interval: "30s", initialDelay: "1m" }));
  assert.deepEqual(analysisOutcome(startAnalysis("d", T0), limits), { phase: "Running", nextAt: new Date(at(60)) });
  assert.deepEqual(analysisOutcome(run([["Successful", 60]]), limits), { phase: "Running", nextAt: new Date(at(90)) });
  const done = analysisOutcome(
    run([
      ["Successful", 60],
      ["Successful", 90],
      ["Successful", 120],
    ]),
    limits,
  );
  assert.deepEqual(done, { phase: "Successful", reason: "3 of 3 measurements successful" });
});

test("failureLimit tolerates failures; one more fails the analysis early", () => {
  const limits = limitsOf(spec({ count: 4, interval: "30s", failureLimit: 1 }));
  assert.equal(analysisOutcome(run([["Failed", 0]]), limits).phase, "Running");
  assert.deepEqual(
    analysisOutcome(
      run([
        ["Failed", 0],
        ["Successful", 30],
        ["Failed", 60],
      ]),
      limits,
    ),
    {
      phase: "Failed",
      reason: "2 of 3 measurements failed, more than the 1 tolerated",
    },
  );
  assert.deepEqual(
    analysisOutcome(
      run([
        ["Failed", 0],
        ["Successful", 30],
        ["Successful", 60],
        ["Successful", 90],
      ]),
      limits,
    ),
    {
      phase: "Successful",
      reason: "3 of 4 measurements successful (1 failed, 0 inconclusive, within the limits)",
    },
  );
});

test("inconclusive measurements past inconclusiveLimit end the analysis", () => {
  assert.equal(analysisOutcome(run([["Inconclusive", 0]]), limitsOf(spec({ count: 2 }))).phase, "Inconclusive");
  assert.equal(
    analysisOutcome(run([["Inconclusive", 0]]), limitsOf(spec({ count: 2, inconclusiveLimit: 1 }))).phase,
    "Running",
  );
});

test("errors do not count as measurements, are retried sooner, and end the analysis past consecutiveErrorLimit", () => {
  const limits = limitsOf(spec({ count: 2, interval: "1m", consecutiveErrorLimit: 2 }));
  assert.deepEqual(analysisOutcome(run([["Error", 0]]), limits), { phase: "Running", nextAt: new Date(at(10)) });
  assert.deepEqual(
    analysisOutcome(
      run([
        ["Error", 0],
        ["Successful", 10],
      ]),
      limits,
    ),
    { phase: "Running", nextAt: new Date(at(70)) },
  );
  const errors = run([
    ["Error", 0],
    ["Error", 10],
    ["Successful", 20],
    ["Error", 80],
    ["Error", 90],
  ]);
  assert.equal(errors.consecutiveErrors, 2);
  assert.equal(analysisOutcome(errors, limits).phase, "Running");
  const more = recordMeasurement(errors, m("Error", 100));
  assert.deepEqual(analysisOutcome(more, limits), {
    phase: "Error",
    reason: "3 measurements in a row errored, more than the 2 tolerated",
  });
  assert.equal(more.error, 5);
});

test("the state keeps the newest measurements only", () => {
  const many = run(Array.from({ length: 15 }, (_, i) => ["Successful", i] as [Measurement["phase"], number]));
  assert.equal(many.measurements.length, KEPT_MEASUREMENTS);
  assert.equal(many.measurements[0].startedAt, at(5));
  assert.equal(many.successful, 15);
});
