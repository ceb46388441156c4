// A watch that survives: it resumes from the last resourceVersion it saw (events and bookmarks)
// after the connection drops or the server ends it, and when that version has left the server's
// window (410 Gone) it relists and hands the consumer the whole new state as one RELIST event.
import { isGone, ApiError } from "../crds/errors.ts";
import type { StellaObject } from "../crds/meta.ts";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import { ConnectionError, ResponseDecodeError } from "./errors.ts";
import { errorFromStatus } from "./response-errors.ts";
import type { LineStream } from "./transport.ts";

/**
 * One change. ADDED/MODIFIED/DELETED carry the object; BOOKMARK only advances the
 * resourceVersion; RELIST replaces everything the consumer knew with `items` (objects absent
 * from it are gone) — it comes first when the watch starts without a resourceVersion, and again
 * after a 410 Gone.
 */
export type WatchEvent<T> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T }
  | { type: "BOOKMARK"; resourceVersion: string }
  | { type: "RELIST"; items: T[]; resourceVersion: string };

/** What a resilient watch needs from its resource: a full list and one watch connection. */
export interface WatchSource<T> {
  list(signal?: AbortSignal): Promise<{ items: T[]; resourceVersion: string }>;
  open(resourceVersion: string, signal?: AbortSignal): Promise<LineStream>;
  /** For decode errors: the server URL and path. */
  readonly server: string;
  readonly path: string;
}

/** How a watch behaves when things go wrong. */
export interface ResilienceOptions {
  /** Start after this resourceVersion; absent: list first and emit RELIST. */
  resourceVersion?: string;
  /**
   * Reconnect after a dropped or ended connection (default true). When false, a cut throws ConnectionError and a clean
   * end ends the iteration.
   */
  reconnect?: boolean;
  /** On 410 Gone, relist and emit RELIST (default true); when false the 410 ApiError is thrown. */
  relistOnExpired?: boolean;
  /** Delays between failed attempts. */
  backoff?: BackoffOptions;
  /** Ends the iteration (without an error) when aborted. */
  signal?: AbortSignal;
  /** Called with each error that is retried (for logs and metrics). */
  onRetry?: (err: unknown) => void;
}

/** Errors worth another attempt: the connection, garbled data, overload and server faults. */
export function isRetriable(err: unknown): boolean {
  if (err instanceof ConnectionError || err instanceof ResponseDecodeError) return true;
  return err instanceof ApiError && (err.code >= 500 || err.code === 429);
}

/** Streams the events of `src` as described by `opts`, forever unless it ends, fails or is aborted. */
export async function* resilientWatch<T extends StellaObject>(
  src: WatchSource<T>,
  opts: ResilienceOptions = {},
): AsyncGenerator<WatchEvent<T>> {
  const { signal } = opts;
  const reconnect = opts.reconnect ?? true;
  const backoff = new Backoff(opts.backoff);
  let rv = opts.resourceVersion;
  while (!signal?.aborted) {
    let stream: LineStream | undefined;
    try {
      if (rv === undefined) {
        const list = await src.list(signal);
        rv = list.resourceVersion;
        backoff.reset();
        yield { type: "RELIST", items: list.items, resourceVersion: rv };
        continue;
      }
      stream = await src.open(rv, signal);
      for await (const line of stream) {
        const event = decodeEvent<T>(src, line);
        if (event.type === "BOOKMARK") rv = event.resourceVersion;
        else if (event.type !== "RELIST") rv = event.object.metadata.resourceVersion ?? rv;
        backoff.reset();
        yield event;
      }
      if (!reconnect) return;
    } catch (err) {
      if (signal?.aborted) return;
      if (isGone(err) && (opts.relistOnExpired ?? true)) {
        rv = undefined;
        continue;
      }
      if (!reconnect || !isRetriable(err)) throw err;
      opts.onRetry?.(err);
      await backoff.wait(signal);
    } finally {
      stream?.close();
    }
  }
}

/** One line of a watch response as an event; ERROR lines throw their ApiError. */
function decodeEvent<T>(src: WatchSource<T>, line: string): WatchEvent<T> {
  let raw: { type?: unknown; object?: { metadata?: { resourceVersion?: unknown } } };
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ResponseDecodeError(src.server, src.path, `watch line is not JSON: ${line.slice(0, 120)}`);
  }
  switch (raw?.type) {
    case "ADDED":
    case "MODIFIED":
    case "DELETED":
      if (typeof raw.object !== "object" || raw.object === null) break;
      return { type: raw.type, object: raw.object as T };
    case "BOOKMARK":
      if (typeof raw.object?.metadata?.resourceVersion !== "string") break;
      return { type: "BOOKMARK", resourceVersion: raw.object.metadata.resourceVersion };
    case "ERROR":
      throw errorFromStatus(raw.object);
  }
  throw new ResponseDecodeError(src.server, src.path, `unexpected watch event: ${line.slice(0, 120)}`);
}
