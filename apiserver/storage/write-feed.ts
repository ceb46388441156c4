// The event feed of a database that only this process writes, one statement at a time: embedded
// PGlite (one session, owned through its lock file). There no writer is ever in flight beside the
// one that just finished, so the hold-back of the event poller has nothing to wait for, and a
// poll per write (a round trip as costly as the write) buys nothing. Writes run one after another
// through `run`; each hands out its own event, built from what stella_write returned, before the
// next write starts and before its caller hears of it. Resource versions burned by a write that
// failed or lost a race (an evidence sequence) are simply never handed out.
import type { EventFeed, SettledHandler } from "./event-feed.ts";
import type { EventReads } from "./event-reads.ts";
import type { StorageLogger } from "./options.ts";
import { StorageError, type StorageEvent } from "./types.ts";

/** Events straight from this process's writes. */
export class WriteFeed implements EventFeed {
  private cursor = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private waiters: Array<{ rv: number; resolve: () => void; reject: (err: StorageError) => void }> = [];

  constructor(
    private readonly reads: EventReads,
    private readonly onSettled: SettledHandler,
    private readonly logger: StorageLogger,
  ) {}

  get settled(): number {
    return this.cursor;
  }

  /** Starts at the last allocated rv: with no other writer, every event up to it is final. */
  async start(): Promise<void> {
    this.cursor = await this.reads.lastAllocated();
  }

  /** Every acknowledged write was handed out before it was acknowledged. */
  settledNow(): Promise<number> {
    if (this.stopped) return Promise.reject(closed());
    return Promise.resolve(this.cursor);
  }

  waitFor(rv: number): Promise<void> {
    if (this.stopped) return Promise.reject(closed());
    if (this.cursor >= rv) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ rv, resolve, reject }));
  }

  /** Nothing to look for: events arrive through `run`. */
  poke(): void {}

  /**
   * Runs `write` once every earlier write has finished, then hands out the event `eventOf`
   * builds from its outcome (none for a write that changed nothing), then resolves.
   */
  run<T>(write: () => Promise<T>, eventOf: (out: T) => StorageEvent | undefined): Promise<T> {
    const step = this.tail.then(async () => {
      if (this.stopped) throw closed();
      const out = await write();
      const event = eventOf(out);
      if (event) this.settle(event);
      return out;
    });
    this.tail = step.catch(() => {});
    return step;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.tail;
    for (const w of this.waiters.splice(0)) w.reject(closed());
  }

  private settle(event: StorageEvent): void {
    if (event.rv <= this.cursor) {
      // Only another writer could do this, and the lock file keeps every other one out.
      const fields = { rv: event.rv, settled: this.cursor };
      this.logger.error("write feed: event at or below the settled cursor; not handed out", fields);
      return;
    }
    this.cursor = event.rv;
    try {
      this.onSettled([event], event.rv);
    } catch (err) {
      this.logger.error("write feed: handing out an event failed", { rv: event.rv, error: (err as Error).message });
    }
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.rv <= this.cursor);
    this.waiters = this.waiters.filter((w) => w.rv > this.cursor);
    for (const w of ready) w.resolve();
  }
}

const closed = () => new StorageError("Closed", "storage is closed");
