// Conformance: consistent lists, filters, limit/continue snapshots, list rv + watch.
import assert from "node:assert/strict";
import { it } from "node:test";
import {
  isStorageError,
  type ListOptions,
  type ObjectKey,
  type Storage,
  type StoredObject,
} from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";
import { applyEvents, keyOf, rvOf, thing } from "./objects.ts";
import { collect } from "./watch-collector.ts";

/** All pages of a list, and each page's rv. */
async function listAll(s: Storage, opts: ListOptions): Promise<{ items: StoredObject[]; rvs: number[] }> {
  const items: StoredObject[] = [];
  const rvs: number[] = [];
  let cont = opts.continue;
  do {
    const page = await s.list({ ...opts, continue: cont });
    items.push(...page.items);
    rvs.push(page.rv);
    cont = page.continue;
  } while (cont);
  return { items, rvs };
}

const names = (items: StoredObject[]) => items.map((o) => keyOf(o));

/** Registers the list cases. */
export function listCases(ctx: ConformanceContext): void {
  it("lists one namespace or all, ordered by namespace then name, at an rv covering prior writes", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    let last = 0;
    for (const [ns, name] of [
      ["b", "y"],
      ["a", "z"],
      ["b", "x"],
      ["a", "a-b"],
      ["a", "a.c"],
      ["", "cluster"],
    ]) {
      const k = { resource, namespace: ns, name };
      last = rvOf(await s.create(k, thing(k)));
    }
    const all = await s.list({ resource });
    assert.deepEqual(names(all.items), ["/cluster", "a/a-b", "a/a.c", "a/z", "b/x", "b/y"]);
    assert.ok(all.rv >= last, "a list reads its own writes");
    assert.equal(all.continue, undefined);
    const inA = await s.list({ resource, namespace: "a" });
    assert.deepEqual(names(inA.items), ["a/a-b", "a/a.c", "a/z"]);
    assert.deepEqual((await s.list({ resource: ctx.resource() })).items, []);
  });

  it("applies the filter before the limit, across as many reads as needed", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    for (let i = 0; i < 250; i++) {
      const k = { resource, namespace: "default", name: `o${String(i).padStart(3, "0")}` };
      await s.create(k, thing(k, { i }, { parity: i % 2 ? "odd" : "even" }));
    }
    const onlyOdd = (o: StoredObject) =>
      (o.metadata.labels as Record<string, string>).parity === "odd" && (o.spec as { i: number }).i >= 200;
    const first = await s.list({ resource, filter: onlyOdd, limit: 3 });
    assert.deepEqual(names(first.items), ["default/o201", "default/o203", "default/o205"]);
    assert.ok(first.continue);
    const all = await listAll(s, { resource, filter: onlyOdd, limit: 4 });
    assert.equal(all.items.length, 25);
    assert.ok(all.items.every(onlyOdd));
    assert.equal(new Set(all.rvs).size, 1, "every page has the first page's rv");
  });

  it("limit/continue pages show one snapshot: writes between pages do not show up", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const k = (name: string): ObjectKey => ({ resource, namespace: "default", name });
    const before = new Map<string, StoredObject>();
    for (const name of ["b1", "b2", "b3", "b4", "b5", "b6"])
      before.set(name, await s.create(k(name), thing(k(name), { v: 1 })));
    const page1 = await s.list({ resource, limit: 2 });
    assert.deepEqual(names(page1.items), ["default/b1", "default/b2"]);
    assert.equal(page1.remainingItemCount, 4);
    // Between pages: change objects on later pages, add some before and after the cursor.
    await s.update(k("b3"), thing(k("b3"), { v: 2 }), rvOf(before.get("b3")!));
    await s.delete(k("b4"));
    await s.update(k("b1"), thing(k("b1"), { v: 2 }), rvOf(before.get("b1")!));
    await s.create(k("a0"), thing(k("a0")));
    await s.create(k("b45"), thing(k("b45")));
    await s.create(k("z9"), thing(k("z9")));
    await s.delete(k("b6"));
    await s.create(k("b6"), thing(k("b6"), { v: 9 }));
    const rest = await listAll(s, { resource, limit: 2, continue: page1.continue });
    assert.deepEqual(
      rest.items,
      ["b3", "b4", "b5", "b6"].map((n) => before.get(n)),
    );
    assert.deepEqual(new Set([page1.rv, ...rest.rvs]), new Set([page1.rv]));
    // A fresh list sees the new state.
    const now = await s.list({ resource });
    assert.deepEqual(names(now.items), [
      "default/a0",
      "default/b1",
      "default/b2",
      "default/b3",
      "default/b45",
      "default/b5",
      "default/b6",
      "default/z9",
    ]);
  });

  it("a continue token that is malformed or from another list fails with InvalidContinue", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    for (const name of ["p1", "p2", "p3"])
      await s.create({ resource, namespace: "ns", name }, thing({ resource, namespace: "ns", name }));
    const page = await s.list({ resource, limit: 1 });
    assert.ok(page.continue);
    await assert.rejects(s.list({ resource, continue: "not-a-token" }), (err) =>
      isStorageError(err, "InvalidContinue"),
    );
    await assert.rejects(s.list({ resource: ctx.resource(), continue: page.continue }), (err) =>
      isStorageError(err, "InvalidContinue"),
    );
    await assert.rejects(s.list({ resource, namespace: "ns", continue: page.continue }), (err) =>
      isStorageError(err, "InvalidContinue"),
    );
  });

  it("list rv + watch from it = exactly the changes after the list", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const k = (i: number): ObjectKey => ({ resource, namespace: "default", name: `w${i}` });
    for (let i = 0; i < 10; i++) await s.create(k(i), thing(k(i), { v: 0 }));
    const writes = (async () => {
      let last = 0;
      for (let i = 0; i < 30; i++) {
        const cur = await s.get(k(i % 12));
        const done = !cur
          ? await s.create(k(i % 12), thing(k(i % 12), { v: i }))
          : i % 5 === 0
            ? await s.delete(k(i % 12))
            : await s.update(k(i % 12), thing(k(i % 12), { v: i }), rvOf(cur));
        last = rvOf(done);
      }
      return last;
    })();
    const listed = await s.list({ resource });
    const w = await collect(s, { resource, sinceRV: listed.rv });
    const lastWrite = await writes;
    const final = await s.list({ resource });
    await w.until(
      () => lastWrite <= listed.rv || (w.events.length > 0 && w.events[w.events.length - 1].rv >= lastWrite),
    );
    w.watch.close();
    assert.ok(w.events.every((e) => e.rv > listed.rv));
    const replayed = applyEvents(new Map(listed.items.map((o) => [keyOf(o), o])), w.events);
    assert.deepEqual(new Map(final.items.map((o) => [keyOf(o), o])), replayed);
  });
}
