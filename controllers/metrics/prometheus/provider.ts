// The Prometheus metric provider: an instant query through the HTTP API (POST /api/v1/query). A
// scalar, or a vector of exactly one sample, is a number; a vector of another size is a list of
// numbers (empty when nothing matched: `size(result) == 0` asks "no alerts firing"); a string result
// is a string. Sample values keep Prometheus' NaN and ±Inf. Range vectors are refused.
import type { z } from "zod";
import { parseDuration } from "../../../crds/duration.ts";
import type { prometheusProvider } from "../../../crds/metric.ts";
import {
  MetricQueryError,
  type MetricProvider,
  type MetricQuery,
  type MetricValue,
} from "../../../sdk/plugins/metric-provider.ts";
import { DEFAULT_QUERY_TIMEOUT_MS, fetchJson, requestHeaders } from "../http.ts";
import { redactUrl } from "../../../sdk/http-url.ts";

/** spec of a prometheus provider. */
export type PrometheusProvider = z.infer<typeof prometheusProvider>;

/** A sample value as Prometheus writes it ("0.5", "NaN", "+Inf", "-Inf") as a number. */
export function sampleValue(text: unknown): number {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const n = typeof text === "string" && text.trim() !== "" ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new MetricQueryError("prometheus", `sample value ${JSON.stringify(text)} is not a number`);
  return n;
}

interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** The Prometheus provider plugin. */
export const prometheusMetricProvider: MetricProvider = {
  type: "prometheus",
  query: ({ settings, secretValue, signal }) => queryPrometheus(settings as PrometheusProvider, secretValue, signal),
};

/** Runs `provider.query`; resolves with the result as described above. Throws MetricQueryError. */
export async function queryPrometheus(
  provider: PrometheusProvider,
  secretValue: MetricQuery["secretValue"],
  signal?: AbortSignal,
): Promise<MetricValue> {
  const timeoutMs = provider.timeout ? parseDuration(provider.timeout) : DEFAULT_QUERY_TIMEOUT_MS;
  const token = provider.authSecretRef ? await secretValue(provider.authSecretRef) : undefined;
  const url = `${provider.address.replace(/\/+$/, "")}/api/v1/query`;
  const headers = requestHeaders(provider.headers, token);
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  const form = new URLSearchParams({ query: provider.query, timeout: `${timeoutMs / 1000}s` });
  const answer = await fetchJson(
    "prometheus",
    url,
    { method: "POST", headers, body: form.toString() },
    timeoutMs,
    signal,
  );
  const at = `Prometheus at ${redactUrl(provider.address)}`;
  const api = answer.json as ApiAnswer | undefined;
  if (api?.status === "error")
    throw new MetricQueryError(
      "prometheus",
      `${at} refused the query (${api.errorType ?? answer.status}): ${api.error ?? answer.text}`,
    );
  if (answer.status !== 200 || api?.status !== "success" || !api.data) {
    throw new MetricQueryError("prometheus", `${at} answered ${answer.status}${answer.text ? `: ${answer.text}` : ""}`);
  }
  const { resultType, result } = api.data;
  switch (resultType) {
    case "scalar":
      return sampleValue((result as unknown[])[1]);
    case "string":
      return String((result as unknown[])[1]);
    case "vector": {
      const values = (result as { value: unknown[] }[]).map((s) => sampleValue(s.value?.[1]));
      return values.length === 1 ? values[0] : values;
    }
    default:
      throw new MetricQueryError(
        "prometheus",
        `${at} returned a ${resultType ?? "missing"} result; the query must give an instant vector or a scalar`,
      );
  }
}
