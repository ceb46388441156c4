// Fans the poller's settled batches out to watches, and starts each watch without a race:
// it registers at the settled cursor c (live events above c are buffered), then backfills
// (sinceRV, c] from the in-memory ring or the database, then releases the buffer.
import { EventRing } from "./event-ring.ts";
import type { EventFilter, EventReads } from "./event-reads.ts";
import { WatchSubscription } from "./watch-subscription.ts";
import { StorageError, type StorageEvent, type Watch, type WatchHandlers, type WatchOptions } from "./types.ts";

const BACKFILL_CHUNK = 1000;

/** Tuning of the hub. */
export interface WatchHubOptions {
  progressIntervalMs: number;
  watchQueueLimit: number;
  recentEvents: number;
}

/** The watches of one storage process. */
export class WatchHub {
  private readonly subs = new Set<WatchSubscription>();
  private ring: EventRing;
  private progressTimer?: NodeJS.Timeout;

  constructor(
    private readonly reads: EventReads,
    private readonly settled: () => number,
    private readonly options: WatchHubOptions,
  ) {
    this.ring = new EventRing(options.recentEvents, settled());
  }

  /** Starts the progress timer; the ring starts at the poller's current cursor. */
  start(): void {
    this.ring = new EventRing(this.options.recentEvents, this.settled());
    this.progressTimer = setInterval(() => this.progress(), this.options.progressIntervalMs);
    this.progressTimer.unref();
  }

  /** The recent settled events (complete up to `top`, the last published settled rv). */
  get recent(): EventRing {
    return this.ring;
  }

  /** The number of open watches. */
  get size(): number {
    return this.subs.size;
  }

  /** A settled batch from the poller, in rv order. */
  publish(events: StorageEvent[], settled: number): void {
    this.ring.append(events, settled);
    for (const sub of this.subs) sub.offerLive(events);
  }

  /** Opens a watch; fails with Expired when sinceRV is below the compaction point. */
  async watch(opts: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
    const compacted = await this.reads.compactedRV();
    if (opts.sinceRV < compacted) throw expired(opts.sinceRV, compacted);
    const filter: EventFilter = { resource: opts.resource, namespace: opts.namespace };
    const matches = (e: StorageEvent) =>
      (filter.resource === undefined || e.key.resource === filter.resource) &&
      (filter.namespace === undefined || e.key.namespace === filter.namespace);
    // Synchronous from here to `add`: no batch can be published in between.
    const c = this.settled();
    const sub = new WatchSubscription(opts.sinceRV, matches, handlers, this.options.watchQueueLimit, (s) =>
      this.subs.delete(s),
    );
    this.subs.add(sub);
    if (opts.sinceRV >= c) {
      sub.goLive();
      return sub;
    }
    const recent = this.ring.slice(opts.sinceRV, c);
    if (recent) {
      sub.offerBackfill(recent);
      sub.goLive();
      return sub;
    }
    // The first chunk is read before returning, so an Expired start fails the call itself.
    try {
      const more = await this.backfillChunk(sub, opts.sinceRV, c, filter);
      if (more === null) sub.goLive();
      else void this.backfillRest(sub, more, c, filter);
    } catch (err) {
      sub.close();
      throw err;
    }
    return sub;
  }

  /** Ends every watch with `err` (e.g. the storage is closing). */
  closeAll(err: StorageError): void {
    clearInterval(this.progressTimer);
    for (const sub of [...this.subs]) sub.fail(err);
  }

  private progress(): void {
    const settled = this.settled();
    for (const sub of this.subs) sub.progress(settled);
  }

  // Reads one chunk after `after`; returns the rv to continue after, or null when done.
  private async backfillChunk(
    sub: WatchSubscription,
    after: number,
    upTo: number,
    filter: EventFilter,
  ): Promise<number | null> {
    const { events, compactedRV } = await this.reads.range(after, upTo, filter, BACKFILL_CHUNK);
    if (compactedRV > after) throw expired(after, compactedRV);
    sub.offerBackfill(events);
    return events.length < BACKFILL_CHUNK ? null : events[events.length - 1].rv;
  }

  private async backfillRest(sub: WatchSubscription, after: number, upTo: number, filter: EventFilter): Promise<void> {
    try {
      let next: number | null = after;
      while (next !== null) {
        await sub.drained(BACKFILL_CHUNK / 2);
        if (!this.subs.has(sub)) return;
        next = await this.backfillChunk(sub, next, upTo, filter);
      }
      sub.goLive();
    } catch (err) {
      sub.fail(err instanceof StorageError ? err : new StorageError("Internal", String(err)));
    }
  }
}

function expired(rv: number, compacted: number): StorageError {
  return new StorageError(
    "Expired",
    `resourceVersion ${rv} is older than the retained event window (compacted at ${compacted})`,
  );
}
