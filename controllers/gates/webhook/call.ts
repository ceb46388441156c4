// One signed webhook call, shared by the webhook gate and the webhook notifier. The receiver checks
// `X-Stella-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw request body (for GET: of the raw
// query string) under the shared secret. The payload carries its own `time`, equal to
// `X-Stella-Timestamp`, so the signature covers the timestamp and a receiver can refuse replays.
// Redirects are not followed: a signed payload goes only where the environment says. User info in
// the URL is sent as Basic authorization.
import { createHmac } from "node:crypto";
import { WebhookUnreachable } from "./errors.ts";
import { redactUrl, splitCredentials } from "../../../sdk/http-url.ts";

/** Header carrying the signature. */
export const SIGNATURE_HEADER = "X-Stella-Signature";
/** Header carrying the payload's time (RFC 3339). */
export const TIMESTAMP_HEADER = "X-Stella-Timestamp";
/** Header naming what the call is: `gate` or `notification`. */
export const EVENT_HEADER = "X-Stella-Event";

/** Timeout of a webhook call when the environment gives none. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

const BODY_PREFIX = 200;

/** `sha256=<hex>`: the HMAC-SHA256 of `content` under `secret`. */
export function signature(content: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(content, "utf8").digest("hex")}`;
}

/** What to send. POST sends `body` as JSON; GET appends `query` to the URL and sends no body. */
export interface WebhookCall {
  url: string;
  method: "GET" | "POST";
  body?: string;
  query?: URLSearchParams;
  /** Signing secret; no signature header when absent. */
  secret?: string;
  /** The payload's time, sent as X-Stella-Timestamp. */
  timestamp: string;
  event: "gate" | "notification";
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What came back, whatever the status. */
export interface WebhookAnswer {
  status: number;
  /** The first 200 characters of the body. */
  body: string;
  /** Retry-After in milliseconds, when the answer sent a valid one. */
  retryAfterMs?: number;
}

/** Makes the call. Resolves with any HTTP answer; throws WebhookUnreachable when none came, or the
 * caller's abort reason when `signal` aborted. */
export async function callWebhook(call: WebhookCall): Promise<WebhookAnswer> {
  const { url, authorization } = splitCredentials(call.url);
  let signed = call.body ?? "";
  if (call.method === "GET") {
    for (const [k, v] of call.query ?? []) url.searchParams.append(k, v);
    signed = url.search.replace(/^\?/, "");
  }
  const headers: Record<string, string> = {
    [TIMESTAMP_HEADER]: call.timestamp,
    [EVENT_HEADER]: call.event,
    "User-Agent": "stella",
  };
  if (call.method === "POST") headers["Content-Type"] = "application/json";
  if (authorization) headers.Authorization = authorization;
  if (call.secret !== undefined) headers[SIGNATURE_HEADER] = signature(signed, call.secret);
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const shown = `${call.method} ${redactUrl(call.url)}`;
  try {
    const res = await fetch(url, {
      method: call.method,
      headers,
      body: call.method === "POST" ? signed : undefined,
      redirect: "manual",
      signal,
    });
    return {
      status: res.status,
      body: await bodyPrefix(res),
      retryAfterMs: retryAfter(res.headers.get("retry-after")),
    };
  } catch (err) {
    if (call.signal?.aborted) throw call.signal.reason;
    if (timeout.aborted)
      throw new WebhookUnreachable(redactUrl(call.url), true, `${shown}: no answer within ${call.timeoutMs / 1000}s`, {
        cause: err,
      });
    throw new WebhookUnreachable(redactUrl(call.url), false, `${shown}: ${connectionProblem(err)}`, { cause: err });
  }
}

/** Reads at most a few KiB of the body and returns its first 200 characters. */
async function bodyPrefix(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < BODY_PREFIX) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, BODY_PREFIX);
}

/** Retry-After (delta-seconds or an HTTP date) in milliseconds, capped at an hour. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3_600_000) : undefined;
}

/** Words for a connection error: the system error code when there is one. */
function connectionProblem(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host name lookup failed",
    EHOSTUNREACH: "host unreachable",
    UND_ERR_SOCKET: "connection closed",
  };
  if (code) return `${words[code] ?? "request failed"} (${code})`;
  const message = typeof cause?.message === "string" ? cause.message : err instanceof Error ? err.message : String(err);
  return `request failed: ${message}`;
}
