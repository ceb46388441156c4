// Exponential backoff with jitter for reconnect loops (watch, informer, leader election): the
// delay doubles after each failure up to a ceiling and returns to the start after a success.

/** Backoff tuning; every field has a default. */
export interface BackoffOptions {
  /** First delay; default 500 ms. */
  initialMs?: number;
  /** Ceiling; default 30 s. */
  maxMs?: number;
  /** Growth per failure; default 2. */
  factor?: number;
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter]; default 0.2. */
  jitter?: number;
}

/** The delays of one retry loop. Not shared between loops. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 500;
    this.maxMs = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 0.2;
  }

  /** The delay before the next attempt; each call counts one failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 - this.jitter + Math.random() * 2 * this.jitter));
  }

  /** Back to the first delay (after a success). */
  reset(): void {
    this.attempt = 0;
  }

  /** Waits the next delay; resolves early (without throwing) when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    return sleep(this.next(), signal);
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
