// The watch behind `get -w`: raw watch events (objects, or one-row Tables when asked for), resumed
// from the last resourceVersion after the connection is cut, with a note for the user each time.
// It gives up, with an error saying the watch ended, when the server stays unreachable for
// `reconnectWindowMs`, or at once on an error no retry can fix (401, 403, 404).
import { isGone } from "../../crds/errors.ts";
import { Backoff } from "../../sdk/backoff.ts";
import { ResponseDecodeError } from "../../sdk/errors.ts";
import { errorFromStatus } from "../../sdk/response-errors.ts";
import type { Query, Transport } from "../../sdk/transport.ts";
import { isRetriable } from "../../sdk/watch.ts";
import { errorMessage } from "../error-message.ts";

/** One change: the object (or one-row Table) the server sent. */
export interface RawEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: { metadata?: { resourceVersion?: string }; [k: string]: unknown };
}

/** The watch ended for good; `cause` is the last failure. */
export class WatchEndedError extends Error {
  override readonly name = "WatchEndedError";
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

/** What to watch and how to tell the user about interruptions. */
export interface ResumingWatchOptions {
  transport: Transport;
  path: string;
  /** Selectors. */
  query: Query;
  accept?: string;
  /** Where to start (the resourceVersion of the list already printed). */
  resourceVersion: string;
  /** Called on 410 Gone: list again (and print it); returns the list's resourceVersion. */
  relist(): Promise<string>;
  /** Called once per interruption and once when the watch is resumed. */
  note(message: string): void;
  /** How long the server may stay unreachable before the watch gives up. */
  reconnectWindowMs: number;
  signal?: AbortSignal;
}

/** Streams events until aborted; throws WatchEndedError when it cannot go on. */
export async function* resumingWatch(o: ResumingWatchOptions): AsyncGenerator<RawEvent> {
  let rv = o.resourceVersion;
  const backoff = new Backoff({ initialMs: 250, maxMs: 5000 });
  let interruptedAt: number | undefined;
  while (!o.signal?.aborted) {
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    try {
      const stream = await o.transport.stream({
        method: "GET",
        path: o.path,
        query: { ...o.query, watch: true, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds },
        accept: o.accept,
        signal: o.signal,
        timeoutMs: (timeoutSeconds + 60) * 1000,
      });
      if (interruptedAt !== undefined) o.note(`watch resumed from resourceVersion ${rv}`);
      interruptedAt = undefined;
      backoff.reset();
      try {
        for await (const line of stream) {
          const event = decode(o, line);
          if (event.type === "BOOKMARK") rv = event.resourceVersion || rv;
          else {
            rv = event.object.metadata?.resourceVersion || rv;
            yield event;
          }
        }
      } finally {
        stream.close();
      }
      // A clean end is the server's watch timeout: reconnect quietly.
    } catch (err) {
      if (o.signal?.aborted) return;
      if (isGone(err)) {
        o.note(`resourceVersion ${rv} is too old for the server to resume from; listing again`);
        rv = await o.relist();
        continue;
      }
      if (!isRetriable(err)) throw new WatchEndedError(`the watch ended: ${errorMessage(err)}`, err);
      const now = Date.now();
      if (interruptedAt === undefined) {
        interruptedAt = now;
        o.note(`the watch was interrupted (${errorMessage(err)}); resuming from resourceVersion ${rv}`);
      } else if (now - interruptedAt > o.reconnectWindowMs)
        throw new WatchEndedError(
          `the watch ended: ${errorMessage(err)} (gave up after ${Math.round((now - interruptedAt) / 1000)}s)`,
          err,
        );
      await backoff.wait(o.signal);
    }
  }
}

type Decoded = RawEvent | { type: "BOOKMARK"; resourceVersion: string };

function decode(o: ResumingWatchOptions, line: string): Decoded {
  let raw: { type?: string; object?: RawEvent["object"] };
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ResponseDecodeError(o.transport.config.server, o.path, `watch line is not JSON: ${line.slice(0, 120)}`);
  }
  if (raw.type === "ERROR") throw errorFromStatus(raw.object);
  if (raw.type === "BOOKMARK")
    return { type: "BOOKMARK", resourceVersion: String(raw.object?.metadata?.resourceVersion ?? "") };
  if (
    (raw.type === "ADDED" || raw.type === "MODIFIED" || raw.type === "DELETED") &&
    raw.object &&
    typeof raw.object === "object"
  )
    return { type: raw.type, object: raw.object };
  throw new ResponseDecodeError(o.transport.config.server, o.path, `unexpected watch event: ${line.slice(0, 120)}`);
}
