// One watch: a per-watch queue between the poller and the watch's handlers, so a slow consumer
// delays only itself. Events arrive from two sides — backfill (rvs up to the registration point)
// and live batches (above it) — and leave strictly in rv order, each exactly once.
import { StorageError, type StorageEvent, type Watch, type WatchHandlers } from "./types.ts";

/** A registered watch. The hub feeds it; `close()` ends it without calling onError. */
export class WatchSubscription implements Watch {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private queue: StorageEvent[] = [];
  private head = 0;
  private buffered: StorageEvent[] = [];
  private live = false;
  private delivering = false;
  private closed = false;
  private drainWaiters: Array<{ backlog: number; resolve: () => void }> = [];
  /** The last rv handed to the queue (or the watch's starting rv). */
  private cursor: number;
  /** The last rv the consumer heard of, by event or progress. */
  private notified: number;

  constructor(
    sinceRV: number,
    private readonly matches: (e: StorageEvent) => boolean,
    private readonly handlers: WatchHandlers,
    private readonly limit: number,
    private readonly onEnd: (sub: WatchSubscription) => void,
  ) {
    this.cursor = sinceRV;
    this.notified = sinceRV;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Events not yet delivered. */
  get backlog(): number {
    return this.queue.length - this.head + this.buffered.length;
  }

  /** A settled batch from the poller: buffered until backfill ends, then queued. */
  offerLive(events: readonly StorageEvent[]): void {
    if (this.closed) return;
    if (this.live) this.enqueue(events);
    else for (const e of events) this.buffered.push(e);
    this.checkOverflow();
  }

  /** Older events read for this watch (ascending, below every live event). */
  offerBackfill(events: readonly StorageEvent[]): void {
    if (this.closed) return;
    this.enqueue(events);
    this.checkOverflow();
  }

  /** Backfill is complete: release the buffered live events behind it. */
  goLive(): void {
    if (this.closed) return;
    this.live = true;
    const buffered = this.buffered;
    this.buffered = [];
    this.enqueue(buffered);
  }

  /** Resolves when at most `backlog` events wait for delivery, or the watch ended. */
  drained(backlog: number): Promise<void> {
    if (this.closed || this.queue.length - this.head <= backlog) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ backlog, resolve }));
  }

  /** Tells an idle, caught-up consumer that everything up to `settled` has been seen. */
  progress(settled: number): void {
    if (this.closed || !this.live || this.delivering || this.backlog > 0 || settled <= this.notified) return;
    if (settled < this.cursor) return;
    this.notified = settled;
    try {
      this.handlers.onProgress?.(settled);
    } catch (err) {
      this.fail(new StorageError("Internal", `watch progress handler failed: ${(err as Error).message}`));
    }
  }

  /** Ends the watch with an error (onError once), e.g. Expired, too slow, storage closing. */
  fail(err: StorageError): void {
    if (this.closed) return;
    this.end();
    try {
      this.handlers.onError?.(err);
    } catch {
      // The watch is over either way.
    }
  }

  close(): void {
    this.end();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.buffered = [];
    for (const w of this.drainWaiters.splice(0)) w.resolve();
    this.onEnd(this);
    this.resolveDone();
  }

  private enqueue(events: readonly StorageEvent[]): void {
    for (const e of events) {
      if (e.rv <= this.cursor) continue;
      this.cursor = e.rv;
      if (this.matches(e)) this.queue.push(e);
    }
    if (!this.delivering && this.queue.length > this.head) {
      this.delivering = true;
      queueMicrotask(() => void this.drain());
    }
  }

  private checkOverflow(): void {
    if (this.backlog > this.limit) {
      this.fail(
        new StorageError(
          "Unavailable",
          `watch fell more than ${this.limit} events behind; watch again from the last resourceVersion seen`,
        ),
      );
    }
  }

  private async drain(): Promise<void> {
    while (!this.closed && this.head < this.queue.length) {
      const event = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      try {
        const pending = this.handlers.onEvent(event);
        if (pending) await pending;
      } catch (err) {
        this.fail(new StorageError("Internal", `watch handler failed: ${(err as Error).message}`));
        return;
      }
      this.notified = Math.max(this.notified, event.rv);
      this.releaseDrainWaiters();
    }
    this.delivering = false;
    this.releaseDrainWaiters();
  }

  private releaseDrainWaiters(): void {
    if (this.drainWaiters.length === 0) return;
    const remaining = this.queue.length - this.head;
    const ready = this.drainWaiters.filter((w) => w.backlog >= remaining);
    this.drainWaiters = this.drainWaiters.filter((w) => w.backlog < remaining);
    for (const w of ready) w.resolve();
  }
}
