// The metric gate: passes when the environment's metric analysis succeeds (analysis.ts, measure.ts).
// It takes at most one measurement per evaluate() call and keeps the analysis in its verdict's
// inputs (`inputs.analysis`): the caller records those inputs in promotion.status.gates under the
// gate's name, and the next call reads them back from request.promotion. So the controller just
// calls evaluate() again after retryAfterMs; an early call measures nothing and says when the next
// measurement is due; a call after a final verdict repeats it without measuring. Changed metric
// settings (a different digest) start a new analysis.
//
// Verdicts: Pending while measurements remain; Passed when `count` were taken within the limits;
// Failed when more failed (or were inconclusive) than tolerated; Error without retryAfterMs when
// more errored in a row than consecutiveErrorLimit or the conditions do not parse (a person must
// fix the provider or the environment).
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Measurement } from "../../../crds/metric.ts";
import type { Promotion } from "../../../crds/promotion.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import {
  type AnalysisOutcome,
  type AnalysisState,
  analysisOutcome,
  analysisState,
  limitsOf,
  recordMeasurement,
  startAnalysis,
  type Conditions,
  type MetricSpec,
  compileConditions,
  measure,
} from "../../analysis/index.ts";
import { ExpressionError } from "../../analysis/index.ts";
import { rfc3339 } from "../../../crds/age.ts";
import { redactUrl } from "../../../sdk/http-url.ts";

/** Digest of a metric's settings (sha256 of their canonical JSON). */
export function metricDigest(metric: MetricSpec): string {
  return `sha256:${createHash("sha256")
    .update(canonicalize(metric) ?? "")
    .digest("hex")}`;
}

/** The analysis a previous evaluation left in promotion.status.gates[name].inputs.analysis, if it
 * belongs to the same settings. */
export function previousAnalysis(promotion: Promotion, gateName: string, digest: string): AnalysisState | undefined {
  const entry = promotion.status?.gates?.find((g) => g.name === gateName);
  const parsed = analysisState.safeParse(entry?.inputs?.analysis);
  return parsed.success && parsed.data.configDigest === digest ? parsed.data : undefined;
}

/** The metric's settings as recorded in inputs and evidence: URLs redacted, header names only. */
export function metricSettings(metric: MetricSpec): Record<string, unknown> {
  const { prometheus, web, plugin } = metric.provider;
  const provider = prometheus
    ? {
        type: "prometheus",
        address: redactUrl(prometheus.address),
        query: prometheus.query,
        headers: prometheus.headers?.map((h) => h.name),
        auth: prometheus.authSecretRef !== undefined,
      }
    : web
      ? { type: "web", url: redactUrl(web.url), jsonPath: web.jsonPath, headers: web.headers?.map((h) => h.name) }
      : { type: "plugin", name: plugin?.name };
  const {
    successCondition,
    failureCondition,
    count,
    interval,
    initialDelay,
    failureLimit,
    inconclusiveLimit,
    consecutiveErrorLimit,
  } = metric;
  const settings = {
    provider,
    successCondition,
    failureCondition,
    count,
    interval,
    initialDelay,
    failureLimit,
    inconclusiveLimit,
    consecutiveErrorLimit,
  };
  return JSON.parse(JSON.stringify(settings)) as Record<string, unknown>; // as recorded: without unset fields
}

/** The built-in metric gate (type "metric"); reads request.config.metric. */
export const metricGate: Gate = {
  type: "metric",
  async evaluate(request: GateRequest): Promise<GateResult> {
    const name = request.config?.name ?? "metric";
    const label = `metric gate "${name}"`;
    const metric = request.config?.metric;
    if (!metric) return { verdict: "Error", message: `${label} has no metric settings` };
    const settings = metricSettings(metric);
    let conditions: Conditions;
    try {
      conditions = compileConditions(metric);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      return { verdict: "Error", message: `${label}: ${err.message}`, inputs: { metric: settings } };
    }
    const limits = limitsOf(metric);
    const digest = metricDigest(metric);
    const { now } = request;
    let state = previousAnalysis(request.promotion, name, digest) ?? startAnalysis(digest, now);
    let outcome = analysisOutcome(state, limits);
    let measured: Measurement | undefined;
    if (outcome.phase === "Running" && outcome.nextAt <= now) {
      measured = await measure(metric, conditions, request.secretValue, now, request.signal);
      state = recordMeasurement(state, measured);
      outcome = analysisOutcome(state, limits);
    }
    return verdict(label, outcome, state, limits.count, measured, now, { metric: settings, analysis: state });
  },
};

function verdict(
  label: string,
  outcome: AnalysisOutcome,
  state: AnalysisState,
  count: number,
  measured: Measurement | undefined,
  now: Date,
  inputs: Record<string, unknown>,
): GateResult {
  const last = (phase?: Measurement["phase"]) =>
    [...state.measurements].reverse().find((m) => !phase || m.phase === phase)?.message;
  switch (outcome.phase) {
    case "Running": {
      const taken = state.successful + state.failed + state.inconclusive;
      const when = `next measurement at ${rfc3339(outcome.nextAt)}`;
      let message: string;
      if (measured?.phase === "Error")
        message = `${label}: measurement errored (${state.consecutiveErrors} in a row): ${measured.message}; ${when}`;
      else if (measured) message = `${label}: measurement ${taken} of ${count}: ${measured.message}; ${when}`;
      else message = `${label}: ${taken} of ${count} measurements taken; ${when}`;
      return {
        verdict: "Pending",
        message,
        inputs,
        retryAfterMs: Math.max(outcome.nextAt.getTime() - now.getTime(), 0),
      };
    }
    case "Successful":
      return { verdict: "Passed", message: `${label}: ${outcome.reason}; last: ${last()}`, inputs };
    case "Failed":
      return { verdict: "Failed", message: `${label}: ${outcome.reason}; last failure: ${last("Failed")}`, inputs };
    case "Inconclusive":
      return {
        verdict: "Failed",
        message: `${label}: inconclusive: ${outcome.reason}; last: ${last("Inconclusive")}`,
        inputs,
      };
    case "Error":
      return { verdict: "Error", message: `${label}: ${outcome.reason}; last error: ${last("Error")}`, inputs };
  }
}
