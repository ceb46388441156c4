// The event reader's hold-back rule, as a pure function over one poll.
//
// Resource versions come from a sequence, so they are allocated in one order and committed in
// another: rv 7 can be visible while rv 6 is still in flight (or was burned by an abort). The
// reader keeps a settled cursor C (every event <= C is committed and delivered) and, per poll,
// delivers the contiguous run C+1, C+2, ... it can see. On a gap it does NOT fill it rv by rv
// (kine's ~60 writes/s stall); it remembers `upTo` (every rv allocated so far) and a `horizon`:
// an xid assigned inside the same poll transaction, after the reads. Every rv <= upTo was
// allocated by a transaction that already had its xid (stella_write takes the xid first), and
// xids are assigned in increasing order, so all of them have xids < horizon. Once a later
// snapshot's xmin is >= horizon, all those transactions have ended: every event <= upTo that will
// ever exist is visible, and the whole range is delivered at once.
//
// Why not the xip list of the gap's snapshot: a snapshot omits running xids >= its xmax
// (latestCompletedXid + 1), so a writer that took its rv early but its xid late would be missed.
import type { StorageEvent } from "./types.ts";

/** One poll's reads, all from one REPEATABLE READ snapshot. */
export interface PollSnapshot {
  /**
   * The rv sequence's last allocated value when read (0 when none). Never above what nextval has
   * handed out: a gap up to an rv not yet taken would be settled past (see event-reads.ts).
   */
  lastAllocated: number;
  /** pg_snapshot_xmin of the snapshot: every xid below it had ended. */
  xmin: bigint;
  /** Every visible event above the settled cursor that the reads covered, ascending. */
  events: StorageEvent[];
  /** The read stopped at its limit: more events may exist above the last one. */
  truncated: boolean;
}

/** A gap being waited out: everything <= upTo is final once a snapshot's xmin >= horizon. */
export interface PendingGap {
  upTo: number;
  horizon: bigint;
}

/** The reader's state between polls. */
export interface HoldBackState {
  settled: number;
  pending: PendingGap | null;
  /**
   * Events above a gap, already read: committed events never change, so the next poll reads
   * only the missing rvs and what is newer, instead of re-reading the whole range.
   */
  held: StorageEvent[];
}

/** What to do with one poll. */
export interface PollPlan {
  /** Events to deliver now, in order. */
  deliver: StorageEvent[];
  settled: number;
  /** A gap still being waited out (kept from before). */
  pending: PendingGap | null;
  /** Events read but not deliverable yet. */
  held: StorageEvent[];
  /** When set, a new gap: take a horizon xid in this poll's transaction and wait up to this rv. */
  newGapUpTo: number | null;
  /** The read was truncated without a gap: poll again at once. */
  more: boolean;
}

/** Applies the hold-back rule to one poll. Never reorders, skips or repeats an event. */
export function planPoll(state: HoldBackState, snap: PollSnapshot): PollPlan {
  const events = snap.events.filter((e) => e.rv > state.settled);
  const lastSeen = events.length > 0 ? events[events.length - 1].rv : state.settled;
  const deliver: StorageEvent[] = [];
  let settled = state.settled;
  let pending = state.pending;
  let i = 0;
  // The sequence never goes back: reading it below a gap's upTo means upTo was not taken when the
  // horizon was, so waiting it out would settle past rvs taken after it. Wait anew instead.
  if (pending && snap.lastAllocated < pending.upTo) pending = null;
  if (pending && snap.xmin >= pending.horizon) {
    // A truncated read may stop short of upTo; then settle only as far as it reached.
    const cap = snap.truncated ? Math.min(pending.upTo, lastSeen) : pending.upTo;
    while (i < events.length && events[i].rv <= cap) deliver.push(events[i++]);
    settled = Math.max(settled, cap);
    if (cap >= pending.upTo) pending = null;
  }
  while (i < events.length && events[i].rv === settled + 1) {
    deliver.push(events[i]);
    settled = events[i++].rv;
  }
  if (pending && settled >= pending.upTo) pending = null;
  const gap = i < events.length;
  let newGapUpTo: number | null = null;
  if (!pending && (gap || !snap.truncated)) {
    const upTo = snap.truncated ? lastSeen : Math.max(snap.lastAllocated, lastSeen);
    if (upTo > settled) newGapUpTo = upTo;
  }
  return { deliver, settled, pending, held: events.slice(i), newGapUpTo, more: snap.truncated && !gap };
}
