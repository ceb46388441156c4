// The SQL reads behind the event poller and watch backfill.
import { decodeEvent, EVENT_COLUMNS, type EventRow } from "./object-codec.ts";
import type { PollSnapshot } from "./hold-back.ts";
import type { SqlExecutor } from "./sql-executor.ts";
import type { StorageEvent } from "./types.ts";

/** Which events a watch wants; absent fields match everything. */
export interface EventFilter {
  resource?: string;
  namespace?: string;
}

/** Reads of stella_events and stella_rv for the poller and watches. */
export class EventReads {
  constructor(private readonly exec: SqlExecutor) {}

  /**
   * One poll in one REPEATABLE READ transaction: the sequence, the snapshot's xmin and the next
   * events after `after`. When `wantsHorizon` says so, also assigns and returns an xid: it is
   * assigned after the snapshot and the sequence read (see hold-back.ts).
   */
  poll(after: number, limit: number, wantsHorizon: (snap: PollSnapshot) => boolean): Promise<{ snap: PollSnapshot; horizon?: bigint }> {
    return this.exec.transaction(
      async (tx) => {
        const [seq] = await tx.query<{ last_value: number; is_called: boolean; xmin: string }>(
          `SELECT last_value, is_called, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin FROM stella_rv`,
        );
        const rows = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM stella_events WHERE rv > $1 ORDER BY rv LIMIT $2`, [after, limit]);
        const snap: PollSnapshot = { lastAllocated: seq.is_called ? seq.last_value : 0, xmin: BigInt(seq.xmin), events: rows.map(decodeEvent) };
        if (!wantsHorizon(snap)) return { snap };
        return { snap, horizon: await this.currentXid(tx) };
      },
      { isolation: "repeatable read" },
    );
  }

  /** The last allocated resource version (0 when none). */
  async lastAllocated(): Promise<number> {
    const [seq] = await this.exec.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM stella_rv`);
    return seq.is_called ? seq.last_value : 0;
  }

  /** The last allocated rv and an xid assigned after reading it (the start of the poller). */
  start(): Promise<{ lastAllocated: number; horizon: bigint }> {
    return this.exec.transaction(async (tx) => {
      const [seq] = await tx.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM stella_rv`);
      return { lastAllocated: seq.is_called ? seq.last_value : 0, horizon: await this.currentXid(tx) };
    });
  }

  /** The xmin of a fresh snapshot: every xid below it has ended. */
  async xmin(): Promise<bigint> {
    const [row] = await this.exec.query<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
    return BigInt(row.xmin);
  }

  /** The oldest rv a watch may start from. */
  async compactedRV(): Promise<number> {
    const [row] = await this.exec.query<{ compacted_rv: number }>(`SELECT compacted_rv FROM stella_meta WHERE id = 1`);
    return row.compacted_rv;
  }

  /**
   * Settled events in (after, upTo] matching `filter`, at most `limit`, with the compaction
   * point of the same snapshot: when compactedRV > after, some of them may be gone.
   */
  range(after: number, upTo: number, filter: EventFilter, limit: number): Promise<{ events: StorageEvent[]; compactedRV: number }> {
    const params: unknown[] = [after, upTo, limit];
    let where = "rv > $1 AND rv <= $2";
    if (filter.resource !== undefined) where += ` AND resource = $${params.push(filter.resource)}`;
    if (filter.namespace !== undefined) where += ` AND namespace = $${params.push(filter.namespace)}`;
    return this.exec.transaction(
      async (tx) => {
        const [meta] = await tx.query<{ compacted_rv: number }>(`SELECT compacted_rv FROM stella_meta WHERE id = 1`);
        const rows = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM stella_events WHERE ${where} ORDER BY rv LIMIT $3`, params);
        return { events: rows.map(decodeEvent), compactedRV: meta.compacted_rv };
      },
      { isolation: "repeatable read", readOnly: true },
    );
  }

  private async currentXid(tx: { query: SqlExecutor["query"] }): Promise<bigint> {
    const [row] = await tx.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`);
    return BigInt(row.xid);
  }
}
