// client-go's EventSourceObjectSpamFilter: a token bucket per object, so a reconciler stuck in a
// loop cannot flood the API with events about one object. Buckets of quiet objects are forgotten.

const MAX_BUCKETS = 4096;

/** Allows `burst` events per key at once and one more every `refillMs`. */
export class SpamFilter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private readonly now: () => number,
  ) {}

  /** Whether an event about `key` may go out now (taking a token when it may). */
  allow(key: string): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    const refilled = Math.min(this.burst, b.tokens + (now - b.at) / this.refillMs);
    const ok = refilled >= 1;
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: ok ? refilled - 1 : refilled, at: now });
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    return ok;
  }
}
