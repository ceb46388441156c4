// The HTTP call both metric providers make: a timeout, the caller's abort signal, a bounded body
// read as JSON, and MetricQueryError (with a redacted URL) for whatever keeps a value from coming.
// User info in the URL is sent as Basic authorization (unless a bearer token is configured).
import { MetricQueryError } from "../../sdk/plugins/metric-provider.ts";
import { redactUrl, splitCredentials } from "../../sdk/http-url.ts";

const MAX_BODY = 4 << 20;

/** Timeout of a query when the provider gives none. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/** What came back: the status and the body parsed as JSON (undefined when it is not JSON). */
export interface JsonAnswer {
  status: number;
  json: unknown;
  /** The first 200 characters of the body, for messages. */
  text: string;
}

/** Sends the request and reads a JSON answer of any status. Throws MetricQueryError when no answer
 * came in `timeoutMs` or the body is too large; the caller's abort reason when `signal` aborted. */
export async function fetchJson(
  provider: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const shown = `${init.method ?? "GET"} ${redactUrl(url)}`;
  let body: string;
  let status: number;
  try {
    const target = splitCredentials(url);
    const headers = new Headers(init.headers);
    if (target.authorization && !headers.has("Authorization")) headers.set("Authorization", target.authorization);
    const res = await fetch(target.url, {
      ...init,
      headers,
      redirect: "follow",
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    status = res.status;
    body = await boundedText(
      res,
      () => new MetricQueryError(provider, `${shown}: answer larger than ${MAX_BODY} bytes`),
    );
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof MetricQueryError) throw err;
    if (timeout.aborted)
      throw new MetricQueryError(provider, `${shown}: no answer within ${timeoutMs / 1000}s`, { cause: err });
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new MetricQueryError(
      provider,
      `${shown}: ${typeof code === "string" ? `unreachable (${code})` : `request failed: ${(err as Error).message}`}`,
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, json, text: body.slice(0, 200) };
}

/** The body as text; throws tooLarge() past MAX_BODY bytes. */
async function boundedText(res: Response, tooLarge: () => Error): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The request headers: the configured ones plus a bearer token, when there is one. */
export function requestHeaders(
  headers: readonly { name: string; value: string }[] | undefined,
  token?: string,
): Headers {
  const h = new Headers({ Accept: "application/json", "User-Agent": "stella" });
  for (const { name, value } of headers ?? []) h.set(name, value);
  if (token !== undefined) h.set("Authorization", `Bearer ${token}`);
  return h;
}
