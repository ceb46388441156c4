// The SQL reads behind the event poller and watch backfill.
import { decodeEvent, EVENT_COLUMNS, type EventRow } from "./object-codec.ts";
import type { PollSnapshot } from "./hold-back.ts";
import type { SqlExecutor, SqlQueryable } from "./sql-executor.ts";
import type { StorageEvent } from "./types.ts";

// The last rv handed out, or NULL before the first. NOT `SELECT last_value FROM stella_rv`: a
// plain read of a sequence copies its tuple without the buffer lock, and nextval, while WAL-logging
// (every 32 values), briefly stores the value 32 ahead in that tuple. Under load a plain read
// caught it: the poller waited out a gap up to an rv nobody had taken yet, settled past it, and
// skipped the events later written at those rvs. pg_sequence_last_value reads the tuple under the
// lock (it is what the pg_sequences view calls, without the view's catalog joins and privilege
// checks, which cost ~1 ms a poll on PGlite). 'stella_rv'::regclass resolves the name as nextval does.
const LAST_ALLOCATED = `pg_sequence_last_value('stella_rv'::regclass)`;

// Past this many missing rvs between held events, re-read the range instead of listing them.
const MAX_MISSING = 1000;
// Hold at most this many batches above a gap; beyond it, wait for the gap before reading more.
const HOLD_LIMIT = 10;

/** The rvs in (settled, last held] that are not held, ascending. */
export function missingBetween(settled: number, held: readonly StorageEvent[]): number[] {
  const missing: number[] = [];
  let next = settled + 1;
  for (const e of held) {
    for (; next < e.rv && missing.length <= MAX_MISSING; next++) missing.push(next);
    next = e.rv + 1;
  }
  return missing;
}

type PollRow = EventRow & { last_value: number | null; xmin: string };

/** Which events a watch wants; absent fields match everything. */
export interface EventFilter {
  resource?: string;
  namespace?: string;
}

/** Reads of stella_events and stella_rv for the poller and watches. */
export class EventReads {
  constructor(private readonly exec: SqlExecutor) {}

  /**
   * One poll, in ONE statement (so one snapshot): the sequence, the snapshot's xmin, and every
   * visible event above `settled` — `held` events (read before, unchanged since) are not read
   * again; only the rvs missing between them and up to `limit` newer events are. When
   * `wantsHorizon` says so, then assigns an xid in a second statement: necessarily after the
   * snapshot and the sequence read (see hold-back.ts).
   */
  async poll(
    settled: number,
    held: StorageEvent[],
    limit: number,
    wantsHorizon: (snap: PollSnapshot) => boolean,
  ): Promise<{ snap: PollSnapshot; horizon?: bigint }> {
    let missing = missingBetween(settled, held);
    if (missing.length > MAX_MISSING) {
      held = [];
      missing = [];
    }
    const top = held.length > 0 ? held[held.length - 1].rv : settled;
    const room = held.length >= HOLD_LIMIT * limit ? 0 : limit;
    const rows = await this.exec.query<PollRow>(
      `WITH seq AS (
         SELECT ${LAST_ALLOCATED} AS last_value, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin),
       ev AS (
         (SELECT ${EVENT_COLUMNS} FROM stella_events WHERE rv = ANY($1::text::int8[]))
         UNION ALL
         (SELECT ${EVENT_COLUMNS} FROM stella_events WHERE rv > $2 ORDER BY rv LIMIT $3))
       SELECT seq.last_value, seq.xmin, ev.* FROM seq LEFT JOIN ev ON true ORDER BY ev.rv`,
      [`{${missing.join(",")}}`, top, room],
    );
    const read = rows.filter((r) => r.rv !== null).map(decodeEvent);
    const fresh = read.filter((e) => e.rv > top).length;
    const snap: PollSnapshot = {
      lastAllocated: rows[0].last_value ?? 0,
      xmin: BigInt(rows[0].xmin),
      events: held.length === 0 ? read : [...held, ...read].sort((a, b) => a.rv - b.rv),
      truncated: room === 0 || fresh === room,
    };
    if (!wantsHorizon(snap)) return { snap };
    const [row] = await this.exec.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`);
    return { snap, horizon: BigInt(row.xid) };
  }

  /** The last allocated resource version (0 when none). */
  async lastAllocated(): Promise<number> {
    const [seq] = await this.exec.query<{ last_value: number | null }>(`SELECT ${LAST_ALLOCATED} AS last_value`);
    return seq.last_value ?? 0;
  }

  /** The last allocated rv and an xid assigned after reading it (the start of the poller). */
  start(): Promise<{ lastAllocated: number; horizon: bigint }> {
    return this.exec.transaction(async (tx) => {
      const [seq] = await tx.query<{ last_value: number | null }>(`SELECT ${LAST_ALLOCATED} AS last_value`);
      return { lastAllocated: seq.last_value ?? 0, horizon: await this.currentXid(tx) };
    });
  }

  /** The xmin of a fresh snapshot: every xid below it has ended. */
  async xmin(): Promise<bigint> {
    const [row] = await this.exec.query<{ xmin: string }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    );
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
  range(
    after: number,
    upTo: number,
    filter: EventFilter,
    limit: number,
  ): Promise<{ events: StorageEvent[]; compactedRV: number }> {
    const params: unknown[] = [after, upTo, limit];
    let where = "rv > $1 AND rv <= $2";
    if (filter.resource !== undefined) where += ` AND resource = $${params.push(filter.resource)}`;
    if (filter.namespace !== undefined) where += ` AND namespace = $${params.push(filter.namespace)}`;
    return this.exec.transaction(
      async (tx) => {
        const [meta] = await tx.query<{ compacted_rv: number }>(`SELECT compacted_rv FROM stella_meta WHERE id = 1`);
        const rows = await tx.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM stella_events WHERE ${where} ORDER BY rv LIMIT $3`,
          params,
        );
        return { events: rows.map(decodeEvent), compactedRV: meta.compacted_rv };
      },
      { isolation: "repeatable read", readOnly: true },
    );
  }

  private async currentXid(tx: SqlQueryable): Promise<bigint> {
    const [row] = await tx.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`);
    return BigInt(row.xid);
  }
}
