// Where a storage's settled events come from. Two sources, one contract: EventPoller follows the
// event log (any number of writers, PostgreSQL), WriteFeed takes each event from the write that
// made it (this process is the only writer, embedded PGlite).
import type { StorageEvent } from "./types.ts";

/** Hands settled batches out in rv order, each event exactly once, and keeps the settled cursor. */
export interface EventFeed {
  /** Every event <= settled is committed and has been handed out. */
  readonly settled: number;
  /** Finds the end of the log and starts following it. */
  start(): Promise<void>;
  /**
   * The settled rv once it covers every write acknowledged before the call (the consistent-read
   * point of lists and currentRV).
   */
  settledNow(): Promise<number>;
  /** Resolves once `settled` reaches `rv`. */
  waitFor(rv: number): Promise<void>;
  /** A write of this process committed: look for its event soon. */
  poke(): void;
  stop(): Promise<void>;
}

/** Receives each settled batch (ascending rvs) and the new settled cursor. */
export type SettledHandler = (events: StorageEvent[], settled: number) => void;
