// Conformance: watch delivery, order, filters, resume, progress and close.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { ObjectKey, StorageEvent } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";
import { rvOf, thing } from "./objects.ts";
import { collect, waitFor } from "./watch-collector.ts";

const rvs = (events: StorageEvent[]) => events.map((e) => e.rv);

/** Registers the watch cases. */
export function watchCases(ctx: ConformanceContext): void {
  it("delivers each change once, in rv order, with the object and its previous state", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const k: ObjectKey = { resource, namespace: "default", name: "w" };
    const w = await collect(s, { resource, sinceRV: await s.currentRV() });
    const created = await s.create(k, thing(k, { v: 1 }));
    const updated = await s.update(k, thing(k, { v: 2 }), rvOf(created));
    const deleted = await s.delete(k);
    await w.until(() => w.events.length >= 3);
    assert.deepEqual(
      w.events.map((e) => [e.type, e.rv, e.key]),
      [
        ["ADDED", rvOf(created), k],
        ["MODIFIED", rvOf(updated), k],
        ["DELETED", rvOf(deleted), k],
      ],
    );
    assert.deepEqual(w.events[0].object, created);
    assert.equal(w.events[0].prev, null);
    assert.deepEqual(w.events[1].object, updated);
    assert.deepEqual(w.events[1].prev, created);
    assert.deepEqual(w.events[2].object, deleted);
    assert.deepEqual(w.events[2].prev, updated);
    w.watch.close();
    await w.watch.done;
  });

  it("filters by resource and namespace", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const other = ctx.resource();
    const since = await s.currentRV();
    const inNs = await collect(s, { resource, namespace: "one", sinceRV: since });
    const inRes = await collect(s, { resource, sinceRV: since });
    const everything = await collect(s, { sinceRV: since });
    const keys: ObjectKey[] = [
      { resource, namespace: "one", name: "a" },
      { resource, namespace: "two", name: "a" },
      { resource: other, namespace: "one", name: "a" },
      { resource, namespace: "one", name: "b" },
    ];
    const written: number[] = [];
    for (const k of keys) written.push(rvOf(await s.create(k, thing(k))));
    await everything.until(() => everything.events.length >= 4);
    await inRes.until(() => inRes.events.length >= 3);
    await inNs.until(() => inNs.events.length >= 2);
    assert.deepEqual(rvs(everything.events), written);
    assert.deepEqual(rvs(inRes.events), [written[0], written[1], written[3]]);
    assert.deepEqual(rvs(inNs.events), [written[0], written[3]]);
    for (const c of [inNs, inRes, everything]) c.watch.close();
  });

  it("resumes from any retained rv, from memory or from the database, without gaps or repeats", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const start = await s.currentRV();
    const written: number[] = [];
    // More events than the suite's in-memory window (20), so early resumes read the database.
    for (let i = 0; i < 60; i++) {
      const k = { resource, namespace: "default", name: `r${i % 7}` };
      const cur = await s.get(k);
      written.push(rvOf(cur ? await s.update(k, thing(k, { i }), rvOf(cur)) : await s.create(k, thing(k, { i }))));
    }
    for (const from of [start, written[5], written[44], written[58], written[59]]) {
      const w = await collect(s, { resource, sinceRV: from });
      const expected = written.filter((rv) => rv > from);
      await w.until(() => w.events.length >= expected.length);
      await s.ping();
      assert.deepEqual(rvs(w.events), expected, `resume from ${from}`);
      w.watch.close();
    }
  });

  it("a watch started while writes are in flight still sees each later event once, in order", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const since = await s.currentRV();
    const writes = Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        const out: number[] = [];
        for (let i = 0; i < 25; i++) {
          const k = { resource, namespace: "default", name: `c${writer}-${i}` };
          out.push(rvOf(await s.create(k, thing(k))));
        }
        return out;
      }),
    );
    const w = await collect(s, { resource, sinceRV: since });
    const written = (await writes).flat().sort((a, b) => a - b);
    await w.until(() => w.events.length >= written.length);
    assert.deepEqual(rvs(w.events), written);
    w.watch.close();
  });

  it("reports progress with the settled rv while no event matches", async () => {
    const s = ctx.storage();
    const quiet = ctx.resource();
    const busy = ctx.resource();
    const w = await collect(s, { resource: quiet, sinceRV: await s.currentRV() });
    const k = { resource: busy, namespace: "default", name: "p" };
    const rv = rvOf(await s.create(k, thing(k)));
    await w.until(() => w.progress.some((p) => p >= rv));
    assert.deepEqual(w.events, []);
    for (let i = 1; i < w.progress.length; i++) assert.ok(w.progress[i] > w.progress[i - 1]);
    w.watch.close();
  });

  it("a handler's promise holds back that watch only, and its events still arrive in order", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const since = await s.currentRV();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: number[] = [];
    const slowWatch = await s.watch(
      { resource, sinceRV: since },
      {
        onEvent: async (e) => {
          slow.push(e.rv);
          await gate;
        },
      },
    );
    const fast = await collect(s, { resource, sinceRV: since });
    const written: number[] = [];
    for (let i = 0; i < 5; i++) {
      const k = { resource, namespace: "default", name: `s${i}` };
      written.push(rvOf(await s.create(k, thing(k))));
    }
    await fast.until(() => fast.events.length >= 5);
    assert.deepEqual(slow, [written[0]]);
    release();
    await waitFor(() => slow.length >= 5);
    assert.deepEqual(slow, written);
    slowWatch.close();
    fast.watch.close();
  });

  it("close stops delivery and resolves done; a watch from a future rv waits for it", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const now = await s.currentRV();
    const w = await collect(s, { resource, sinceRV: now });
    w.watch.close();
    await w.watch.done;
    const k = { resource, namespace: "default", name: "after-close" };
    const rv = rvOf(await s.create(k, thing(k)));
    const future = await collect(s, { resource, sinceRV: rv + 1 });
    const k2 = { ...k, name: "later" };
    const rv2 = rvOf(await s.create(k2, thing(k2)));
    const rv3 = rvOf(await s.update(k2, thing(k2, { v: 1 }), rv2));
    await future.until(() => future.events.length > 0 && future.events[future.events.length - 1].rv >= rv3);
    assert.deepEqual(w.events, []);
    assert.deepEqual(
      rvs(future.events),
      [rv2, rv3].filter((r) => r > rv + 1),
    );
    future.watch.close();
    assert.deepEqual(w.errors, [], "close() does not call onError");
  });
}
