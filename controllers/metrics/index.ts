// The metric providers built into Stella, by the key of a metric's `spec.provider` they answer
// for. Metric analysis (controllers/analysis) asks them through sdk/plugins/metric-provider.ts.
import type { AnalysisMetric } from "../../crds/metric.ts";
import type { MetricProvider } from "../../sdk/plugins/metric-provider.ts";
import { prometheusMetricProvider } from "./prometheus/index.ts";
import { webMetricProvider } from "./web/index.ts";

/** Every built-in metric provider. */
export const builtinMetricProviders: readonly MetricProvider[] = [prometheusMetricProvider, webMetricProvider];

/** The provider a metric names and the settings to hand it; undefined when none of `providers` answers for it. */
export function metricProviderFor(
  provider: AnalysisMetric["provider"],
  providers: readonly MetricProvider[] = builtinMetricProviders,
): { provider: MetricProvider; settings: unknown } | undefined {
  for (const p of providers) {
    const settings = (provider as Record<string, unknown>)[p.type];
    if (settings !== undefined) return { provider: p, settings };
  }
  return undefined;
}

export { prometheusMetricProvider, queryPrometheus } from "./prometheus/index.ts";
export { webMetricProvider, queryWeb } from "./web/index.ts";
export { DEFAULT_QUERY_TIMEOUT_MS } from "./http.ts";
