// The one event reader of a storage process. It follows stella_events in rv order and hands each
// settled batch to `onSettled` exactly once, in order (the hold-back rule is in hold-back.ts).
// It polls when a NOTIFY arrives, on a slow fallback timer, and on a fast timer while a gap is
// pending; polls never overlap, and pokes during a poll coalesce into one more poll.
import type { EventFeed, SettledHandler } from "./event-feed.ts";
import type { EventReads } from "./event-reads.ts";
import { planPoll, type HoldBackState, type PollPlan } from "./hold-back.ts";
import type { StorageLogger } from "./options.ts";
import type { SqlExecutor } from "./sql-executor.ts";
import { StorageError } from "./types.ts";

/** The channel stella_write notifies on. */
export const EVENTS_CHANNEL = "stella_events";

/** Tuning of the poller. */
export interface EventPollerOptions {
  /** Fallback poll interval when no NOTIFY arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /** Events read per poll (default 1000). */
  batchSize?: number;
  logger: StorageLogger;
}

// A gap left by a writer still in flight closes with that writer's NOTIFY; the timer is for gaps
// nobody announces (aborted or burned rvs) and for waiters. It backs off from 5 ms to 100 ms.
const FAST_POLL_MS = 5;
const COALESCE_MS = 1;

type Waiter = { rv: number; resolve: () => void; reject: (err: StorageError) => void };

/** Follows the event log; `settled` is the cursor C: every event <= C is committed and handed out. */
export class EventPoller implements EventFeed {
  private state: HoldBackState = { settled: 0, pending: null, held: [] };
  private running = false;
  private again = false;
  private stopped = false;
  private waiters: Waiter[] = [];
  private slowTimer?: NodeJS.Timeout;
  private fastTimer?: NodeJS.Timeout;
  private fastDelayMs = FAST_POLL_MS;
  private unlisten?: () => Promise<void>;
  private readonly batchSize: number;

  constructor(
    private readonly exec: SqlExecutor,
    private readonly reads: EventReads,
    private readonly onSettled: SettledHandler,
    private readonly options: EventPollerOptions,
  ) {
    this.batchSize = options.batchSize ?? 1000;
  }

  /** The settled cursor C. */
  get settled(): number {
    return this.state.settled;
  }

  /** Settles on the current end of the log (waiting out in-flight writers), then follows it. */
  async start(): Promise<void> {
    const { lastAllocated, horizon } = await this.reads.start();
    const since = Date.now();
    let warned = false;
    for (let delay = 1; (await this.reads.xmin()) < horizon; delay = Math.min(delay * 2, 100)) {
      if (!warned && Date.now() - since > 5000) {
        warned = true;
        this.options.logger.warn("waiting for transactions that were open at startup to end", {
          horizon: String(horizon),
        });
      }
      await new Promise((r) => setTimeout(r, delay));
    }
    this.state = { settled: lastAllocated, pending: null, held: [] };
    this.unlisten = await this.exec.listen(
      EVENTS_CHANNEL,
      () => this.poke(),
      () => this.poke(),
    );
    this.slowTimer = setInterval(() => this.poke(), this.options.pollIntervalMs ?? 1000);
    this.slowTimer.unref();
  }

  /** Waits until every rv allocated so far is settled (in-flight writers included); returns it. */
  async settledNow(): Promise<number> {
    await this.waitFor(await this.reads.lastAllocated());
    return this.state.settled;
  }

  /** Asks for a poll soon. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  /** Resolves once the settled cursor reaches `rv`. */
  waitFor(rv: number): Promise<void> {
    if (this.stopped) return Promise.reject(new StorageError("Closed", "storage is closed"));
    if (this.state.settled >= rv) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ rv, resolve, reject });
      this.poke();
    });
  }

  /** Stops polling; pending waiters fail with Closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.slowTimer);
    clearTimeout(this.fastTimer);
    for (const w of this.waiters.splice(0)) w.reject(new StorageError("Closed", "storage is closed"));
    await this.unlisten?.().catch(() => {});
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        const more = await this.pollOnce();
        if (this.stopped || (!more && !this.again)) break;
        // Under load, pokes arrive faster than polls finish: pausing briefly lets one poll
        // take many events instead of many polls taking one each (the pause bounds the delay).
        if (!more) await new Promise((r) => setTimeout(r, COALESCE_MS));
      }
    } catch (err) {
      // Callers waiting for a settled rv get the failure (Unavailable when the database is gone)
      // rather than hanging; the timers keep retrying for everyone else.
      this.options.logger.warn("event poll failed; retrying", { error: (err as Error).message });
      const failure = err instanceof StorageError ? err : new StorageError("Internal", String(err));
      for (const w of this.waiters.splice(0)) w.reject(failure);
    } finally {
      this.running = false;
      this.release();
      this.armFastTimer();
    }
  }

  // One poll; true when there is more to read at once.
  private async pollOnce(): Promise<boolean> {
    const before = this.state;
    let plan: PollPlan | undefined;
    const { horizon } = await this.reads.poll(before.settled, before.held, this.batchSize, (snap) => {
      plan = planPoll(before, snap);
      return plan.newGapUpTo !== null;
    });
    if (!plan || this.stopped) return false;
    const pending =
      plan.newGapUpTo !== null && horizon !== undefined ? { upTo: plan.newGapUpTo, horizon } : plan.pending;
    if (pending?.horizon !== before.pending?.horizon) this.fastDelayMs = FAST_POLL_MS;
    this.state = { settled: plan.settled, pending, held: plan.held };
    if (plan.settled > before.settled) this.onSettled(plan.deliver, plan.settled);
    this.release();
    return plan.more;
  }

  private release(): void {
    const settled = this.state.settled;
    if (!this.waiters.some((w) => w.rv <= settled)) return;
    const ready = this.waiters.filter((w) => w.rv <= settled);
    this.waiters = this.waiters.filter((w) => w.rv > settled);
    for (const w of ready) w.resolve();
  }

  // While a gap is pending or someone waits, poll again soon (backing off) to see it resolve.
  private armFastTimer(): void {
    clearTimeout(this.fastTimer);
    if (this.stopped || (!this.state.pending && this.waiters.length === 0)) return;
    this.fastTimer = setTimeout(() => this.poke(), this.fastDelayMs);
    this.fastTimer.unref();
    this.fastDelayMs = Math.min(this.fastDelayMs * 2, 100);
  }
}
