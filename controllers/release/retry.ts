// When to look again at a release that is not done: soon and then less often while a registry is
// unreachable (transient), slowly for answers that only a person can change (a missing tag, a
// refused login, an unsigned image). The schedule restarts when the release's spec changes.
import { Backoff, type BackoffOptions } from "../../sdk/backoff.ts";

/** Retry schedules; each field has a default. */
export interface RetryOptions {
  /** Unreachable registry, HTTP 5xx/429; default 1 s doubling to 1 min. */
  transient?: BackoffOptions;
  /** Missing tag, refused credentials, missing Secret, failed verification; default 30 s doubling to 10 min. */
  slow?: BackoffOptions;
}

/** Which schedule a failure follows. */
export type RetryClass = "transient" | "slow";

/** Per-release retry delays. */
export class RetrySchedule {
  private readonly state = new Map<string, { generation: number; transient: Backoff; slow: Backoff }>();

  constructor(private readonly opts: RetryOptions = {}) {}

  /** The delay before the next look at `key` (at `generation`) after a failure of class `kind`. */
  next(key: string, generation: number, kind: RetryClass): number {
    let s = this.state.get(key);
    if (!s || s.generation !== generation) {
      s = {
        generation,
        transient: new Backoff({ initialMs: 1_000, maxMs: 60_000, ...this.opts.transient }),
        slow: new Backoff({ initialMs: 30_000, maxMs: 600_000, ...this.opts.slow }),
      };
      this.state.set(key, s);
    }
    return s[kind].next();
  }

  /** Forgets `key` (it succeeded, or is gone). */
  forget(key: string): void {
    this.state.delete(key);
  }
}
