// One measurement of a metric: ask the provider, then judge the value by the metric's conditions
// with Argo Rollouts' rules. A true failureCondition fails the measurement whatever the success
// condition says; with only a successCondition, a false one fails it; with only a failureCondition,
// a false one passes it; with both and neither true it is Inconclusive; with none it passes. A
// provider or condition that cannot produce a verdict makes the measurement Error. Conditions are
// CEL (crds/condition-language.ts).
import type { AnalysisMetric, Measurement } from "../../crds/metric.ts";
import { MetricQueryError, type MetricQuery } from "../../sdk/plugins/metric-provider.ts";
import { metricProviderFor } from "../metrics/index.ts";
import { ExpressionError } from "./errors.ts";
import { type Expression, type Value, compileExpression, evaluateCondition } from "./expression.ts";

/** A metric's settings as a gate holds them (no name: the gate's name is the metric's). */
export type MetricSpec = Omit<AnalysisMetric, "name">;

/** The compiled conditions of a metric. */
export interface Conditions {
  success?: Expression;
  failure?: Expression;
}

/** Compiles the metric's conditions; throws ExpressionError naming the condition that does not parse. */
export function compileConditions(metric: MetricSpec): Conditions {
  const compile = (field: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    try {
      return compileExpression(text);
    } catch (err) {
      if (err instanceof ExpressionError)
        throw new ExpressionError(`${field} \`${text}\`: ${err.message}`, err.position);
      throw err;
    }
  };
  return {
    success: compile("successCondition", metric.successCondition),
    failure: compile("failureCondition", metric.failureCondition),
  };
}

/** A value as measurement text: numbers as they are, anything else as JSON (at most 200 characters). */
export function valueText(v: Value): string {
  if (typeof v === "number") return String(v);
  const json = JSON.stringify(v) ?? "null";
  return json.length > 200 ? `${json.slice(0, 199)}…` : json;
}

/** The phase the conditions give `value`, and why. Throws ExpressionError when a condition cannot apply. */
export function judge(value: Value, conditions: Conditions): Pick<Measurement, "phase" | "message"> {
  const { success, failure } = conditions;
  const shown = `result ${valueText(value)}`;
  const check = (field: string, e: Expression) => {
    try {
      return evaluateCondition(e, value);
    } catch (err) {
      if (err instanceof ExpressionError)
        throw new ExpressionError(`${field} \`${e.text}\` on ${shown}: ${err.message}`);
      throw err;
    }
  };
  const failed = failure ? check("failureCondition", failure) : false;
  if (failed) return { phase: "Failed", message: `${shown} meets failureCondition \`${failure?.text}\`` };
  if (success) {
    if (check("successCondition", success))
      return { phase: "Successful", message: `${shown} satisfies \`${success.text}\`` };
    if (!failure) return { phase: "Failed", message: `${shown} does not satisfy successCondition \`${success.text}\`` };
    return {
      phase: "Inconclusive",
      message: `${shown} meets neither successCondition \`${success.text}\` nor failureCondition \`${failure.text}\``,
    };
  }
  return {
    phase: "Successful",
    message: failure ? `${shown} does not meet failureCondition \`${failure.text}\`` : `${shown} (no conditions)`,
  };
}

/** Asks the metric's provider and judges the value. Never throws for provider or condition trouble
 * (that is an Error measurement); rethrows the caller's abort. Times are on the caller's clock. */
export async function measure(
  metric: MetricSpec,
  conditions: Conditions,
  secretValue: MetricQuery["secretValue"],
  now: Date,
  signal?: AbortSignal,
): Promise<Measurement> {
  const began = Date.now();
  const times = () => ({
    startedAt: now.toISOString(),
    finishedAt: new Date(now.getTime() + Date.now() - began).toISOString(),
  });
  let value: Value;
  try {
    const found = metricProviderFor(metric.provider);
    if (!found)
      return { phase: "Error", message: "metric provider plugins are not built in; use prometheus or web", ...times() };
    value = await found.provider.query({ settings: found.settings, secretValue, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof MetricQueryError) return { phase: "Error", message: err.message, ...times() };
    return {
      phase: "Error",
      message: `provider failed: ${err instanceof Error ? err.message : String(err)}`,
      ...times(),
    };
  }
  try {
    return { ...judge(value, conditions), value: valueText(value), ...times() };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    return { phase: "Error", value: valueText(value), message: err.message, ...times() };
  }
}
