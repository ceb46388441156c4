// The web metric provider: GET a URL, read JSON, take the value at a JSONPath. A path without a
// wildcard gives one value (and no value is an error); a path with one gives the list it selects.
import type { z } from "zod";
import { parseDuration } from "../../../crds/duration.ts";
import type { webProvider } from "../../../crds/metric.ts";
import { MetricQueryError, type MetricProvider, type MetricValue } from "../../../sdk/plugins/metric-provider.ts";
import { InvalidJsonPath } from "./errors.ts";
import { parseJsonPath, selectJsonPath } from "./json-path.ts";
import { fetchJson, requestHeaders, DEFAULT_QUERY_TIMEOUT_MS } from "../http.ts";
import { redactUrl } from "../../../sdk/http-url.ts";

/** spec of a web provider. */
export type WebProvider = z.infer<typeof webProvider>;

/** The web provider plugin. */
export const webMetricProvider: MetricProvider = {
  type: "web",
  query: ({ settings, signal }) => queryWeb(settings as WebProvider, signal),
};

/** GETs `provider.url` and selects `provider.jsonPath`. Throws MetricQueryError (a path outside the
 * supported subset included). */
export async function queryWeb(provider: WebProvider, signal?: AbortSignal): Promise<MetricValue> {
  const path = parsePath(provider.jsonPath);
  const timeoutMs = provider.timeout ? parseDuration(provider.timeout) : DEFAULT_QUERY_TIMEOUT_MS;
  const answer = await fetchJson(
    "web",
    provider.url,
    { method: "GET", headers: requestHeaders(provider.headers) },
    timeoutMs,
    signal,
  );
  const at = `GET ${redactUrl(provider.url)}`;
  if (answer.status < 200 || answer.status >= 300)
    throw new MetricQueryError("web", `${at} answered ${answer.status}${answer.text ? `: ${answer.text}` : ""}`);
  if (answer.json === undefined) throw new MetricQueryError("web", `${at} did not answer JSON: ${answer.text}`);
  const selected = selectJsonPath(path, answer.json) as MetricValue[];
  if (!path.definite) return selected;
  if (selected.length === 0)
    throw new MetricQueryError("web", `${at}: the answer has no value at ${provider.jsonPath}`);
  return selected[0];
}

function parsePath(text: string): ReturnType<typeof parseJsonPath> {
  try {
    return parseJsonPath(text);
  } catch (err) {
    if (err instanceof InvalidJsonPath) throw new MetricQueryError("web", err.message, { cause: err });
    throw err;
  }
}
