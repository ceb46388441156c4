// Compaction keeps the event log bounded. It first raises stella_meta.compacted_rv in its own
// transaction — so any snapshot that still sees the old value also still sees every event it
// promises — then deletes older events in small batches, each its own short transaction, so
// writers (which only insert new rows) are never held up for long.
import type { StorageLogger } from "./options.ts";
import type { SqlExecutor } from "./sql-executor.ts";

const BATCH = 1000;

/** Tuning of compaction. */
export interface CompactorOptions {
  /** Events to keep (the window); at least 0. */
  window: number;
  /** How often to compact on a timer; 0 disables it. */
  intervalMs: number;
  /**
   * Also VACUUM (ANALYZE) the tables after each timed run. For PGlite: it runs PostgreSQL in
   * single-user mode, where autovacuum never runs, so without this dead rows would pile up,
   * planner statistics would never exist and transaction ids would never be frozen.
   */
  vacuum?: boolean;
  logger: StorageLogger;
}

/** Drops events older than the window, on demand and on a timer. One run at a time per process. */
export class Compactor {
  private timer?: NodeJS.Timeout;
  private running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly exec: SqlExecutor,
    /** Resolves to a settled rv covering every write acknowledged so far. */
    private readonly settled: () => Promise<number>,
    private readonly options: CompactorOptions,
  ) {}

  /** Starts the timer (when the interval is not 0). */
  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      const run = this.compact().then(async (dropped) => {
        if (this.options.vacuum) await this.exec.query(`VACUUM (ANALYZE) stella_objects, stella_events, stella_audit`);
        return dropped;
      });
      this.running = run;
      run.catch((err: Error) => this.options.logger.warn("compaction failed", { error: err.message }));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => 0);
  }

  /** Keeps at most `window` events at or below the settled rv; returns how many were dropped. */
  compact(window = this.options.window): Promise<number> {
    const run = this.running.catch(() => 0).then(() => this.run(Math.max(0, Math.floor(window))));
    this.running = run;
    return run;
  }

  private async run(window: number): Promise<number> {
    const target = (await this.settled()) - window;
    if (target <= 0) return 0;
    const [meta] = await this.exec.query<{ compacted_rv: number }>(
      `UPDATE stella_meta SET compacted_rv = GREATEST(compacted_rv, $1::int8) WHERE id = 1 RETURNING compacted_rv`,
      [target],
    );
    let dropped = 0;
    for (;;) {
      const [row] = await this.exec.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM stella_events WHERE rv IN (
             SELECT rv FROM stella_events WHERE rv <= $1 ORDER BY rv LIMIT ${BATCH})
           RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [meta.compacted_rv],
      );
      dropped += row.n;
      if (row.n < BATCH) break;
    }
    if (dropped > 0) this.options.logger.info("compacted event log", { dropped, compactedRV: meta.compacted_rv });
    return dropped;
  }
}
