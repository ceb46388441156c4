import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planPoll, type HoldBackState, type PollSnapshot } from "./hold-back.ts";
import type { StorageEvent } from "./types.ts";

const ev = (rv: number): StorageEvent => ({
  rv,
  type: "ADDED",
  key: { resource: "r", namespace: "", name: `n${rv}` },
  object: { metadata: {} },
  prev: null,
});
const snap = (rvs: number[], lastAllocated: number, xmin = 0n, truncated = false): PollSnapshot => ({
  lastAllocated,
  xmin,
  events: rvs.map(ev),
  truncated,
});
const start: HoldBackState = { settled: 0, pending: null, held: [] };

describe("planPoll", () => {
  it("delivers a contiguous run and settles at the sequence when nothing is in flight", () => {
    const plan = planPoll(start, snap([1, 2, 3], 3));
    assert.deepEqual(
      plan.deliver.map((e) => e.rv),
      [1, 2, 3],
    );
    assert.equal(plan.settled, 3);
    assert.equal(plan.newGapUpTo, null);
    assert.equal(plan.more, false);
  });

  it("stops at a gap, holds what lies beyond it, and asks for a horizon up to the last allocated rv", () => {
    const plan = planPoll(start, snap([1, 3, 4], 6));
    assert.deepEqual(
      plan.deliver.map((e) => e.rv),
      [1],
    );
    assert.deepEqual(
      plan.held.map((e) => e.rv),
      [3, 4],
    );
    assert.equal(plan.newGapUpTo, 6);
  });

  it("delivers the whole range at once when the horizon has passed, gaps and all", () => {
    const state: HoldBackState = { settled: 1, pending: { upTo: 6, horizon: 10n }, held: [] };
    const waiting = planPoll(state, snap([3, 4], 6, 9n));
    assert.deepEqual(waiting.deliver, []);
    assert.deepEqual(waiting.pending, state.pending);
    const done = planPoll(state, snap([3, 4, 6, 7], 7, 10n));
    assert.deepEqual(
      done.deliver.map((e) => e.rv),
      [3, 4, 6, 7],
    );
    assert.equal(done.settled, 7);
    assert.equal(done.pending, null);
  });

  it("a gap that fills while pending is delivered without waiting for the horizon", () => {
    const state: HoldBackState = { settled: 1, pending: { upTo: 3, horizon: 10n }, held: [] };
    const plan = planPoll(state, snap([2, 3, 4], 4, 5n));
    assert.deepEqual(
      plan.deliver.map((e) => e.rv),
      [2, 3, 4],
    );
    assert.equal(plan.pending, null);
  });

  it("a truncated read settles only as far as it reached, and asks for more when gap-free", () => {
    const full = planPoll(start, snap([1, 2], 10, 0n, true));
    assert.equal(full.settled, 2);
    assert.equal(full.more, true);
    assert.equal(full.newGapUpTo, null);
    const state: HoldBackState = { settled: 0, pending: { upTo: 10, horizon: 1n }, held: [] };
    const capped = planPoll(state, snap([2, 3], 10, 5n, true));
    assert.equal(capped.settled, 3);
    assert.deepEqual(capped.pending, state.pending);
  });

  it("a gap up to an rv the sequence later reads below is waited out anew, not settled past", () => {
    // Replays a CI failure: a read of the sequence saw 68 while only 36 was taken (nextval briefly
    // stores the value 32 ahead while WAL-logging). Writers took 37..55 after the horizon xid, so
    // the next snapshot's xmin passes the horizon while 56..65 are still to come.
    const delivered: number[] = [];
    let state: HoldBackState = { settled: 24, pending: { upTo: 26, horizon: 46n }, held: [] };
    const poll = (s: PollSnapshot, horizon?: bigint) => {
      const plan = planPoll(state, s);
      delivered.push(...plan.deliver.map((e) => e.rv));
      state = {
        settled: plan.settled,
        pending: plan.newGapUpTo !== null ? { upTo: plan.newGapUpTo, horizon: horizon! } : plan.pending,
        held: plan.held,
      };
      return plan;
    };
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    assert.equal(poll(snap(range(25, 33), 68, 56n), 71n).newGapUpTo, 68);
    const next = poll(snap(range(34, 55), 55, 95n));
    assert.equal(next.settled, 55, "settles only what it saw, not up to the misread 68");
    poll(snap(range(56, 65), 65, 120n));
    assert.deepEqual(delivered, range(25, 65));
  });

  it("simulated writers: every committed event is delivered once, in rv order, whatever the interleaving", () => {
    for (let seed = 1; seed <= 200; seed++) simulate(seed);
  });
});

// A model of PostgreSQL for the hold-back rule: xids and rvs from counters, writers that take an
// xid, then (later) an rv, then commit with or without an event, or abort; snapshots see what
// committed before them; xmin is the oldest running xid. Polls interleave randomly.
function simulate(seed: number): void {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  type Tx = { xid: bigint; rv?: number; done: boolean };
  let nextXid = 100n;
  let nextRv = 1;
  const running: Tx[] = [];
  const committed: number[] = [];
  let state: HoldBackState = { settled: 0, pending: null, held: [] };
  const delivered: number[] = [];
  const poll = () => {
    const xmin = running.reduce((m, t) => (t.xid < m ? t.xid : m), nextXid);
    const visible = committed.filter((rv) => rv > state.settled).sort((a, b) => a - b);
    const limit = 1 + Math.floor(rnd() * 4);
    const events = visible.slice(0, limit);
    const plan = planPoll(state, snap(events, nextRv - 1, xmin, visible.length > limit));
    const pending = plan.newGapUpTo !== null ? { upTo: plan.newGapUpTo, horizon: nextXid++ } : plan.pending;
    for (const e of plan.deliver) delivered.push(e.rv);
    state = { settled: plan.settled, pending, held: plan.held };
  };
  for (let step = 0; step < 300; step++) {
    const r = rnd();
    const open = running.filter((t) => !t.done);
    if (r < 0.25) running.push({ xid: nextXid++, done: false });
    else if (r < 0.5 && open.some((t) => t.rv === undefined)) open.find((t) => t.rv === undefined)!.rv = nextRv++;
    else if (r < 0.75 && open.length > 0) {
      const t = open[Math.floor(rnd() * open.length)];
      const outcome = rnd();
      if (t.rv !== undefined && outcome < 0.8) committed.push(t.rv); // else aborted, or committed without event
      running.splice(running.indexOf(t), 1);
    } else poll();
  }
  for (const t of running.splice(0)) if (t.rv !== undefined) committed.push(t.rv);
  for (let i = 0; i < 1000 && state.settled < nextRv - 1; i++) poll();
  assert.deepEqual(
    delivered,
    [...committed].sort((a, b) => a - b),
    `seed ${seed}`,
  );
}
