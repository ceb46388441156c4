// How long to wait before an item comes back after a failure: per-item exponential backoff, an
// overall token bucket, and the larger of both (client-go's default controller rate limiter).

/** Decides the delay of each retry of an item. */
export interface RateLimiter<K> {
  /** The delay before `item` should be processed again; each call counts one retry. */
  when(item: K): number;
  /** Stops tracking `item` (it succeeded): its next failure starts over. */
  forget(item: K): void;
  /** How many times `item` was retried since it was last forgotten. */
  numRequeues(item: K): number;
}

/** base * 2^failures per item, capped at max. */
export class ItemExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  when(item: K): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(item: K): void {
    this.failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

/** A token bucket shared by all items: `burst` retries at once, then `qps` per second. */
export class TokenBucketRateLimiter<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Reserves a token; the delay is how long until that token exists. */
  when(_item: K): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

/** The largest delay of several limiters (each one counts the retry). */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(item: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }

  forget(item: K): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

/** Per item 5 ms doubling up to 1000 s, overall 10 retries/s with bursts of 100 — client-go's defaults. */
export function defaultControllerRateLimiter<K>(): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialRateLimiter<K>(5, 1_000_000),
    new TokenBucketRateLimiter<K>(10, 100),
  );
}
