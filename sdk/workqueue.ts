// The controller workqueue (client-go's rate-limited delaying queue). Invariants:
// - an item is queued at most once however often it is added (dirty set);
// - an item handed out by get() is not handed out again until done() — if it was added while
//   being processed, done() queues it again, so the newest state is always reconciled;
// - addAfter keeps only the earliest pending time per item; addRateLimited asks the rate limiter.
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiter.ts";

/** Options of a WorkQueue. */
export interface WorkQueueOptions<K> {
  /** Delays of addRateLimited; client-go's default controller rate limiter when absent. */
  rateLimiter?: RateLimiter<K>;
}

/** A deduplicating, delaying, rate-limited FIFO of keys for a pool of workers. */
export class WorkQueue<K = string> {
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, { at: number; timer: NodeJS.Timeout }>();
  private readonly getters: ((item: K | undefined) => void)[] = [];
  private readonly idle: (() => void)[] = [];
  private readonly limiter: RateLimiter<K>;
  private stopped = false;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>();
  }

  /** Queues `item` unless it is queued already (or the queue is shut down). */
  add(item: K): void {
    if (this.stopped || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return; // done() will queue it
    this.queue.push(item);
    this.deliver();
  }

  /** Queues `item` after `ms` (at once when ms <= 0); an earlier pending time for the item wins. */
  addAfter(item: K, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(item);
    const at = performance.now() + ms;
    const pending = this.waiting.get(item);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { at, timer });
  }

  /** Queues `item` after the rate limiter's delay (it counts one more retry of the item). */
  addRateLimited(item: K): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** Resets the retry count of `item` (call after it was processed successfully). */
  forget(item: K): void {
    this.limiter.forget(item);
  }

  /** How many times `item` was retried through addRateLimited since it was last forgotten. */
  numRequeues(item: K): number {
    return this.limiter.numRequeues(item);
  }

  /** The next item, marked as processing; waits for one. undefined once shut down and empty. */
  get(): Promise<K | undefined> {
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.stopped) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `item` as processed; if it was added meanwhile, it is queued again. */
  done(item: K): void {
    this.processing.delete(item);
    if (this.dirty.has(item) && !this.stopped) {
      this.queue.push(item);
      this.deliver();
    }
    if (this.processing.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Items queued and ready (not counting delayed or processing ones). */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Items handed out and not yet done. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Whether shutdown() was called. */
  get shuttingDown(): boolean {
    return this.stopped;
  }

  /**
   * Stops accepting items, drops delayed ones, and wakes waiting get() calls with undefined. Queued items are dropped.
   */
  shutdown(): void {
    this.stopped = true;
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.queue = [];
    this.head = 0;
    this.dirty.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
    if (this.processing.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves when no item is being processed. */
  drained(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private deliver(): void {
    while (this.getters.length > 0 && this.head < this.queue.length) this.getters.shift()!(this.take());
  }

  private take(): K {
    const item = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    this.processing.add(item);
    return item;
  }
}
