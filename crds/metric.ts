// Metric queries that decide a canary step or a gate: a provider (Prometheus, a web endpoint or a
// plugin), how often to measure, and the condition a result must meet.
import { z } from "zod";
import { celCondition } from "./condition-language.ts";
import { dnsLabel, secretKeyRef, timestamp } from "./meta.ts";
import { positiveDuration } from "./duration.ts";
import { requireExactlyOne } from "./refinements.ts";

/** Free-form plugin settings: kept as given, checked by the plugin itself. */
export const pluginConfig = z
  .record(z.string(), z.unknown())
  .meta({ description: "Settings passed to the plugin as given.", "x-kubernetes-preserve-unknown-fields": true });

/** A plugin by name, with its settings. */
export const pluginReference = z.strictObject({
  name: z.string().min(1).meta({ description: "Name of a built-in plugin, or of a plugin loaded from disk." }),
  config: pluginConfig.optional(),
});

const header = z.strictObject({ name: z.string().min(1), value: z.string() });

/** A PromQL query against a Prometheus server. */
export const prometheusProvider = z.strictObject({
  address: z.url().meta({ description: "Base URL of the Prometheus server, e.g. http://127.0.0.1:9090." }),
  query: z.string().min(1).meta({ description: "PromQL query; its result is `result` in the conditions." }),
  timeout: positiveDuration.optional().meta({ description: "Time the query may take; 30s when omitted." }),
  headers: z.array(header).optional().meta({ description: "Extra request headers." }),
  authSecretRef: secretKeyRef.optional().meta({ description: "Secret key holding a bearer token to send." }),
});

/** An HTTP endpoint returning JSON, read at a JSONPath. */
export const webProvider = z.strictObject({
  url: z.url().meta({ description: "URL to GET." }),
  jsonPath: z.string().min(1).meta({ description: "JSONPath of the value in the response, e.g. {$.data.errorRate}." }),
  headers: z.array(header).optional().meta({ description: "Extra request headers." }),
  timeout: positiveDuration.optional().meta({ description: "Time the request may take; 30s when omitted." }),
});

/** Field names of the provider kinds, exactly one of which a metric sets. */
export const METRIC_PROVIDER_KINDS = ["prometheus", "web", "plugin"] as const;

/** Where a metric's value comes from: exactly one provider. */
export const metricProvider = z
  .strictObject({
    prometheus: prometheusProvider.optional(),
    web: webProvider.optional(),
    plugin: pluginReference.optional().meta({ description: "A MetricProvider plugin." }),
  })
  .superRefine((provider, ctx) => requireExactlyOne(ctx, provider, METRIC_PROVIDER_KINDS, []))
  .meta({ description: "Where the value comes from: exactly one of prometheus, web or plugin." });

/** One measured metric: provider, schedule, limits and the success/failure expressions. */
export const analysisMetric = z.strictObject({
  name: dnsLabel.meta({ description: "Name of the metric, unique in the analysis." }),
  provider: metricProvider,
  interval: positiveDuration.optional().meta({ description: "Time between measurements; measured once when omitted." }),
  count: z.number().int().min(1).optional().meta({ description: "How many measurements to take; 1 when omitted." }),
  initialDelay: positiveDuration.optional().meta({ description: "Wait this long before the first measurement." }),
  successCondition: celCondition
    .optional()
    .meta({ description: "CEL expression over `result` that must hold, e.g. `result < 0.01`." }),
  failureCondition: celCondition
    .optional()
    .meta({ description: "CEL expression over `result` that marks a measurement failed." }),
  failureLimit: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Failed measurements tolerated before the analysis fails; 0 when omitted." }),
  inconclusiveLimit: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Inconclusive measurements tolerated; 0 when omitted." }),
  consecutiveErrorLimit: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Consecutive provider errors tolerated; 4 when omitted." }),
});
export type AnalysisMetric = z.infer<typeof analysisMetric>;

/** The phases of one measurement and of a metric's analysis (Argo Rollouts' vocabulary). */
export const MEASUREMENT_PHASES = ["Pending", "Running", "Successful", "Failed", "Inconclusive", "Error"] as const;
export type MeasurementPhase = (typeof MEASUREMENT_PHASES)[number];

/** One measurement as recorded in status (and copied into evidence). */
export const measurement = z.strictObject({
  phase: z.enum(MEASUREMENT_PHASES),
  value: z.string().optional().meta({ description: "The result as text (a number, or JSON for vectors)." }),
  message: z.string().optional(),
  startedAt: timestamp.optional(),
  finishedAt: timestamp.optional(),
});
export type Measurement = z.infer<typeof measurement>;

/** The outcome so far of one metric: its counters and recent measurements. */
export const metricResult = z.strictObject({
  name: z.string(),
  phase: z.enum(MEASUREMENT_PHASES),
  successful: z.number().int().min(0).optional(),
  failed: z.number().int().min(0).optional(),
  inconclusive: z.number().int().min(0).optional(),
  error: z.number().int().min(0).optional(),
  message: z.string().optional(),
  measurements: z.array(measurement).optional().meta({ description: "The most recent measurements, oldest first." }),
});
export type MetricResult = z.infer<typeof metricResult>;
