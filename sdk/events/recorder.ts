// An event recorder like client-go's: a reconciler says what happened to an object in one line,
// and the recorder turns it into core v1 Events a person reads with `kubectl describe`. A repeat
// (same object, type, reason and message) bumps count and lastTimestamp of the one Event with a
// patch instead of creating another; a burst per object is rate limited; writes run in the
// background and a failure is logged and dropped, never thrown into the reconciler.
import { hostname } from "node:os";
import { format } from "node:util";
import { eventKind, EVENT_NOTE_MAX_BYTES, type Event, type EventType, type ObjectReference } from "../../crds/event.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { isNotFound } from "../../crds/errors.ts";
import type { Client } from "../client.ts";
import { EventCache, type Recorded } from "./event-cache.ts";
import { SpamFilter } from "./spam-filter.ts";

/** What a reconciler records through. */
export interface EventRecorder {
  /** Records that `reason` happened to `object`; returns at once. */
  event(object: StellaObject, type: EventType, reason: string, message: string): void;
  /** event() with a printf-style message (`%s`, `%d`, `%j`), as client-go's Eventf. */
  eventf(object: StellaObject, type: EventType, reason: string, messageFormat: string, ...args: unknown[]): void;
}

/** Where events go: create and merge-patch of core v1 Events. */
export interface EventSink {
  create(event: Event): Promise<Event>;
  patch(namespace: string, name: string, patch: Partial<Event>): Promise<Event>;
}

/** How a recorder runs. */
export interface RecorderOptions {
  /** source.component and reportingComponent, e.g. `deployment-controller`. */
  component: string;
  /** source.host; this machine's name when absent. */
  host?: string;
  /** Events remembered for aggregation (least recently seen go first); default 4096. */
  cacheSize?: number;
  /** Events one object may get at once, and one more per refill interval; defaults 25 and 5 min (client-go's). */
  burst?: number;
  refillMs?: number;
  now?: () => number;
  /** Where a dropped write is reported. */
  onError?: (err: unknown, event: { reason: string; object: string }) => void;
}

/** A sink over an sdk client. */
export function clientSink(client: Client): EventSink {
  const events = client.resource<Event>(eventKind);
  return {
    create: (e) => events.create(e),
    patch: (namespace, name, patch) => events.patch(name, patch, { type: "merge", namespace }),
  };
}

/** Records events through a sink. */
export class Recorder implements EventRecorder {
  private readonly cache: EventCache;
  private readonly spam: SpamFilter;
  private readonly host: string;
  private readonly now: () => number;
  /** Writes per aggregation key run one after another, so a repeat never races its create. */
  private readonly chains = new Map<string, Promise<void>>();
  /** The last instant handed out: later calls get strictly later times, so time order is call order. */
  private last = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly opts: RecorderOptions,
  ) {
    this.cache = new EventCache(opts.cacheSize ?? 4096);
    this.now = opts.now ?? Date.now;
    this.spam = new SpamFilter(opts.burst ?? 25, opts.refillMs ?? 300_000, this.now);
    this.host = opts.host ?? hostname();
  }

  event(object: StellaObject, type: EventType, reason: string, message: string): void {
    try {
      this.record(object, type, reason, message);
    } catch (err) {
      this.opts.onError?.(err, { reason, object: `${object?.kind}/${object?.metadata?.name}` });
    }
  }

  eventf(object: StellaObject, type: EventType, reason: string, messageFormat: string, ...args: unknown[]): void {
    this.event(object, type, reason, format(messageFormat, ...args));
  }

  /** Resolves once every write queued so far has finished (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private record(object: StellaObject, type: EventType, reason: string, message: string): void {
    const ref = referenceTo(object);
    const note = truncate(message);
    if (!this.spam.allow(`${ref.namespace}/${ref.kind}/${ref.name}/${ref.uid}`)) return;
    const key = JSON.stringify([ref.namespace, ref.kind, ref.name, ref.uid, type, reason, note]);
    this.last = Math.max(this.now(), this.last + 1);
    const at = new Date(this.last).toISOString();
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(key, ref, type, reason, note, at))
      .catch((err) => this.opts.onError?.(err, { reason, object: `${ref.kind}/${ref.name}` }))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  private async write(key: string, ref: ObjectReference, type: EventType, reason: string, message: string, at: string) {
    const seen = this.cache.get(key);
    if (seen) {
      try {
        const bump = { count: seen.count + 1, lastTimestamp: at };
        const patched = await this.sink.patch(ref.namespace ?? "default", seen.name, bump);
        this.cache.set(key, { name: seen.name, count: patched.count ?? seen.count + 1 });
        return;
      } catch (err) {
        // Expired (--event-ttl) or deleted meanwhile: start a new one.
        if (!isNotFound(err)) throw err;
        this.cache.delete(key);
      }
    }
    const created = await this.sink.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: this.eventName(ref), namespace: ref.namespace },
      involvedObject: ref,
      reason,
      message,
      type,
      source: { component: this.opts.component, host: this.host },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      reportingComponent: this.opts.component,
      reportingInstance: `${this.opts.component}-${this.host}`,
    });
    this.cache.set(key, { name: created.metadata.name!, count: created.count ?? 1 } satisfies Recorded);
  }

  /** `<object>.<time in hex><random>`, as client-go names events. */
  private eventName(ref: ObjectReference): string {
    const salt = Math.floor(Math.random() * 0xfff)
      .toString(16)
      .padStart(3, "0");
    return `${ref.name}.${this.now().toString(16)}${salt}`;
  }
}

/** The reference an event carries to its object. */
export function referenceTo(object: StellaObject): ObjectReference {
  const { name, namespace = "default", uid, resourceVersion } = object.metadata;
  return { apiVersion: object.apiVersion, kind: object.kind, name, namespace, uid, resourceVersion };
}

function truncate(message: string): string {
  const bytes = new TextEncoder().encode(message);
  if (bytes.length <= EVENT_NOTE_MAX_BYTES) return message;
  return new TextDecoder().decode(bytes.slice(0, EVENT_NOTE_MAX_BYTES - 3)).replace(/\uFFFD$/, "") + "...";
}
