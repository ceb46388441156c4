// Wakes the event pollers of other processes sharing the database. Writes do not NOTIFY inside
// their own transaction: PostgreSQL serializes the commits of notifying transactions (it holds a
// global lock from pre-commit through the WAL flush), which capped throughput near 700 writes/s.
// Instead each process sends one payload-less NOTIFY after its writes commit, coalescing: at most
// one in flight, and one more if writes committed meanwhile. A notification is only a hint; the
// pollers' fallback timer covers a lost one.
import { EVENTS_CHANNEL } from "./event-poller.ts";
import type { StorageLogger } from "./options.ts";
import type { SqlExecutor } from "./sql-executor.ts";

/** Sends coalesced NOTIFYs on the events channel. */
export class EventNotifier {
  private inFlight = false;
  private again = false;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly exec: SqlExecutor,
    private readonly logger: StorageLogger,
  ) {}

  /** Some write committed: make sure a NOTIFY goes out after it. */
  notify(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.idle = this.send();
  }

  /** Stops sending; waits for a NOTIFY in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle;
  }

  private async send(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.exec.query(`SELECT pg_notify($1, '')`, [EVENTS_CHANNEL]);
      } while (this.again && !this.stopped);
    } catch (err) {
      this.logger.warn("notify failed; other processes will see the write on their next poll", {
        error: (err as Error).message,
      });
    } finally {
      this.inFlight = false;
    }
  }
}
