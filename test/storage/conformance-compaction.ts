// Conformance: compaction bounds the event log; what falls out of it is Expired; a watch that
// falls too far behind is ended; closing ends every watch. One tuned storage for all of these.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { isStorageError, type ObjectKey, type Storage } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";
import { rvOf, thing } from "./objects.ts";
import { collect, waitFor } from "./watch-collector.ts";

const WINDOW = 10;

/** Registers the compaction cases. */
export function compactionCases(ctx: ConformanceContext): void {
  let s: Storage;
  before(async () => {
    s = await ctx.make({
      eventWindow: WINDOW,
      compactIntervalMs: 0,
      watchQueueLimit: 50,
      recentEvents: 5,
      progressIntervalMs: 50,
    });
  });
  after(async () => {
    await s?.close();
  });

  async function writeMany(resource: string, count: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const k: ObjectKey = { resource, namespace: "default", name: `k${i % 4}` };
      const cur = await s.get(k);
      out.push(rvOf(cur ? await s.update(k, thing(k, { i }), rvOf(cur)) : await s.create(k, thing(k, { i }))));
    }
    return out;
  }

  it("compact keeps the last `window` events; watches from before it are Expired", async () => {
    const resource = ctx.resource();
    const written = await writeMany(resource, 35);
    const current = await s.currentRV();
    assert.equal(await s.compactedRV(), 0);
    const dropped = await s.compact();
    assert.equal(dropped, current - WINDOW);
    assert.equal(await s.compactedRV(), current - WINDOW);
    assert.equal(await s.compact(), 0, "nothing more to drop");
    const oldest = await s.compactedRV();
    await assert.rejects(s.watch({ sinceRV: oldest - 1 }, { onEvent: () => {} }), (err) =>
      isStorageError(err, "Expired"),
    );
    const w = await collect(s, { resource, sinceRV: oldest });
    const expected = written.filter((rv) => rv > oldest);
    assert.equal(expected.length, WINDOW);
    await w.until(() => w.events.length >= expected.length);
    assert.deepEqual(
      w.events.map((e) => e.rv),
      expected,
    );
    w.watch.close();
  });

  it("an explicit window overrides the configured one", async () => {
    const resource = ctx.resource();
    await writeMany(resource, 12);
    const current = await s.currentRV();
    await s.compact(3);
    assert.equal(await s.compactedRV(), current - 3);
  });

  it("a continue token whose snapshot was compacted away is Expired", async () => {
    const resource = ctx.resource();
    await writeMany(resource, 4);
    const page = await s.list({ resource, limit: 1 });
    assert.ok(page.continue);
    await writeMany(resource, 4);
    await s.compact(0);
    await assert.rejects(s.list({ resource, limit: 1, continue: page.continue }), (err) =>
      isStorageError(err, "Expired"),
    );
    const fresh = await s.list({ resource });
    assert.equal(fresh.items.length, 4);
  });

  it("a watch whose consumer falls too far behind ends with Unavailable; others go on", async () => {
    const resource = ctx.resource();
    const since = await s.currentRV();
    const errors: string[] = [];
    const stuck = await s.watch(
      { resource, sinceRV: since },
      { onEvent: () => new Promise<void>(() => {}), onError: (err) => void errors.push(err.code) },
    );
    const healthy = await collect(s, { resource, sinceRV: since });
    const written = await writeMany(resource, 60);
    // A hang guard, not a threshold: a stuck consumer that is never cut off fails here with a reason.
    let ended = false;
    void stuck.done.then(() => (ended = true));
    await waitFor(
      () => ended,
      30_000,
      () => `the stuck watch was not ended after ${written.length} events (errors: ${errors.join(",")})`,
    );
    assert.deepEqual(errors, ["Unavailable"]);
    await healthy.until(() => healthy.events.length >= written.length);
    assert.deepEqual(
      healthy.events.map((e) => e.rv),
      written,
    );
    healthy.watch.close();
  });

  it("compaction also runs on its own timer", async () => {
    const timed = await ctx.make({ eventWindow: 5, compactIntervalMs: 20 });
    try {
      for (let i = 0; i < 15; i++) {
        const k = { resource: "timed", namespace: "default", name: `t${i}` };
        await timed.create(k, thing(k));
      }
      const current = await timed.currentRV();
      const deadline = Date.now() + 60_000;
      while ((await timed.compactedRV()) < current - 5) {
        assert.ok(Date.now() < deadline, "the compaction timer never ran");
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await timed.close();
    }
  });

  it("close ends every watch with Closed, and later calls fail with Closed", async () => {
    const other = await ctx.make({ compactIntervalMs: 0 });
    const w = await collect(other, { sinceRV: await other.currentRV() });
    await other.close();
    await w.watch.done;
    assert.deepEqual(
      w.errors.map((e) => e.code),
      ["Closed"],
    );
    await assert.rejects(other.get({ resource: "x", namespace: "", name: "y" }), (err) =>
      isStorageError(err, "Closed"),
    );
    await assert.rejects(other.list({ resource: "x" }), (err) => isStorageError(err, "Closed"));
    await other.close();
  });
}
