// The analysis of one metric over several measurements, as a pure state machine: take `count`
// measurements `interval` apart (the first after `initialDelay`), stop early when more than
// failureLimit fail, more than inconclusiveLimit are inconclusive, or more than
// consecutiveErrorLimit error in a row. Errored measurements do not count towards `count` and are
// retried after min(interval, 10s). The state is plain JSON so a caller can keep it anywhere (the
// metric gate keeps it in its verdict's inputs).
import { z } from "zod";
import { parseDuration } from "../../crds/duration.ts";
import { type Measurement, measurement } from "../../crds/metric.ts";
import type { MetricSpec } from "./measure.ts";

/** Measurements kept in the state (the newest). */
export const KEPT_MEASUREMENTS = 10;
/** Delay before retrying after an errored measurement (or the interval, if shorter). */
export const ERROR_RETRY_MS = 10_000;

/** What the analysis has seen so far. */
export const analysisState = z.object({
  /** Digest of the metric settings the state belongs to; other settings start a new analysis. */
  configDigest: z.string(),
  startedAt: z.string(),
  successful: z.number().int().min(0),
  failed: z.number().int().min(0),
  inconclusive: z.number().int().min(0),
  error: z.number().int().min(0),
  consecutiveErrors: z.number().int().min(0),
  measurements: z.array(measurement),
});
export type AnalysisState = z.infer<typeof analysisState>;

/** The metric's schedule and limits with defaults applied. */
export interface AnalysisLimits {
  count: number;
  intervalMs: number;
  initialDelayMs: number;
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
}

/** Defaults: count 1, no interval, no initial delay, failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4. */
export function limitsOf(metric: MetricSpec): AnalysisLimits {
  return {
    count: metric.count ?? 1,
    intervalMs: metric.interval ? parseDuration(metric.interval) : 0,
    initialDelayMs: metric.initialDelay ? parseDuration(metric.initialDelay) : 0,
    failureLimit: metric.failureLimit ?? 0,
    inconclusiveLimit: metric.inconclusiveLimit ?? 0,
    consecutiveErrorLimit: metric.consecutiveErrorLimit ?? 4,
  };
}

/** A state with no measurements, started at `now`. */
export function startAnalysis(configDigest: string, now: Date): AnalysisState {
  return {
    configDigest,
    startedAt: now.toISOString(),
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    consecutiveErrors: 0,
    measurements: [],
  };
}

/** The state after one more measurement. */
export function recordMeasurement(state: AnalysisState, m: Measurement): AnalysisState {
  const next = { ...state, measurements: [...state.measurements, m].slice(-KEPT_MEASUREMENTS) };
  if (m.phase === "Successful") next.successful++;
  else if (m.phase === "Failed") next.failed++;
  else if (m.phase === "Inconclusive") next.inconclusive++;
  else if (m.phase === "Error") next.error++;
  next.consecutiveErrors = m.phase === "Error" ? state.consecutiveErrors + 1 : 0;
  return next;
}

/** Where the analysis stands: still running (with when to measure next) or finished, and why. */
export type AnalysisOutcome =
  { phase: "Running"; nextAt: Date } | { phase: "Successful" | "Failed" | "Inconclusive" | "Error"; reason: string };

/** The outcome of `state` under `limits`. */
export function analysisOutcome(state: AnalysisState, limits: AnalysisLimits): AnalysisOutcome {
  const taken = state.successful + state.failed + state.inconclusive;
  if (state.failed > limits.failureLimit)
    return {
      phase: "Failed",
      reason: `${state.failed} of ${taken} measurements failed, more than the ${limits.failureLimit} tolerated`,
    };
  if (state.inconclusive > limits.inconclusiveLimit)
    return {
      phase: "Inconclusive",
      reason: `${state.inconclusive} of ${taken} measurements were inconclusive, more than the ${limits.inconclusiveLimit} tolerated`,
    };
  if (state.consecutiveErrors > limits.consecutiveErrorLimit)
    return {
      phase: "Error",
      reason: `${state.consecutiveErrors} measurements in a row errored, more than the ${limits.consecutiveErrorLimit} tolerated`,
    };
  if (taken >= limits.count) {
    const tolerated =
      state.failed + state.inconclusive > 0
        ? ` (${state.failed} failed, ${state.inconclusive} inconclusive, within the limits)`
        : "";
    return { phase: "Successful", reason: `${state.successful} of ${taken} measurements successful${tolerated}` };
  }
  const last = state.measurements[state.measurements.length - 1];
  if (!last?.startedAt)
    return { phase: "Running", nextAt: new Date(Date.parse(state.startedAt) + limits.initialDelayMs) };
  const wait =
    last.phase === "Error" ? Math.min(limits.intervalMs || ERROR_RETRY_MS, ERROR_RETRY_MS) : limits.intervalMs;
  return { phase: "Running", nextAt: new Date(Date.parse(last.startedAt) + wait) };
}
