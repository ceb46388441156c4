// One analysis run of a canary (an analysis step, or the background analysis): each named metric
// is measured when due, with the metric gate's state machine (controllers/analysis), and the run's
// state lives in Canary.status.analysisRuns so a restarted controller resumes it. A run fails as
// soon as one metric fails; it is Inconclusive or Error (never a pass) when one metric ends so;
// it succeeds when every metric has.
import type { Canary } from "../../crds/canary.ts";
import type { MetricResult } from "../../crds/metric.ts";
import {
  analysisOutcome,
  type AnalysisState,
  compileConditions,
  limitsOf,
  measure,
  recordMeasurement,
  startAnalysis,
} from "../analysis/index.ts";
import type { CanaryDeps } from "./deps.ts";

/** A run as status keeps it. */
export type AnalysisRun = NonNullable<NonNullable<Canary["status"]>["analysisRuns"]>[number];

/** Where a run stands after this pass. */
export interface RunOutcome {
  run: AnalysisRun;
  phase: "Running" | "Successful" | "Failed" | "Inconclusive" | "Error";
  /** Why it ended (or which metric is still running). */
  reason: string;
  /** When to look again, while Running (epoch ms). */
  nextAt?: number;
}

function stateOf(run: AnalysisRun, result: MetricResult | undefined): AnalysisState {
  const state = startAnalysis("", new Date(run.startedAt ?? 0));
  if (!result) return state;
  const measurements = result.measurements ?? [];
  let consecutiveErrors = 0;
  for (let i = measurements.length - 1; i >= 0 && measurements[i].phase === "Error"; i--) consecutiveErrors++;
  return {
    ...state,
    successful: result.successful ?? 0,
    failed: result.failed ?? 0,
    inconclusive: result.inconclusive ?? 0,
    error: result.error ?? 0,
    consecutiveErrors,
    measurements,
  };
}

function resultOf(name: string, state: AnalysisState, phase: MetricResult["phase"], message: string): MetricResult {
  const { successful, failed, inconclusive, error, measurements } = state;
  return { name, phase, successful, failed, inconclusive, error, message, measurements };
}

/** Measures whatever is due in `run` over `metrics` (names in spec.analysis.metrics). */
export async function advanceRun(
  canary: Canary,
  run: AnalysisRun,
  metrics: readonly string[],
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<RunOutcome> {
  const results: MetricResult[] = [];
  let phase: RunOutcome["phase"] = "Successful";
  let reason = "every metric successful";
  let nextAt: number | undefined;
  for (const name of metrics) {
    const spec = canary.spec.analysis?.metrics.find((m) => m.name === name);
    if (!spec) return { run, phase: "Error", reason: `metric ${name} is not in spec.analysis.metrics` };
    const limits = limitsOf(spec);
    let state = stateOf(
      run,
      run.metrics?.find((m) => m.name === name),
    );
    let outcome = analysisOutcome(state, limits);
    if (outcome.phase === "Running" && outcome.nextAt.getTime() <= deps.now()) {
      const secretValue = deps.secretValue(canary.metadata.namespace ?? "");
      const m = await measure(spec, compileConditions(spec), secretValue, new Date(deps.now()), signal);
      state = recordMeasurement(state, m);
      outcome = analysisOutcome(state, limits);
    }
    const message = outcome.phase === "Running" ? "measuring" : outcome.reason;
    results.push(resultOf(name, state, outcome.phase, message));
    if (outcome.phase === "Running") {
      nextAt = Math.min(nextAt ?? Infinity, outcome.nextAt.getTime());
      if (phase === "Successful") [phase, reason] = ["Running", `metric ${name} is measuring`];
    } else if (
      outcome.phase !== "Successful" &&
      (phase === "Successful" || phase === "Running" || outcome.phase === "Failed")
    ) {
      [phase, reason] = [outcome.phase, `metric ${name}: ${outcome.reason}`];
    }
  }
  const done = phase !== "Running" ? { completedAt: new Date(deps.now()).toISOString() } : {};
  return {
    run: { ...run, phase, metrics: results, ...done },
    phase,
    reason,
    ...(nextAt !== undefined ? { nextAt } : {}),
  };
}
