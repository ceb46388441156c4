// Conformance: single-object operations, their errors, and resourceVersion handling.
import assert from "node:assert/strict";
import { it } from "node:test";
import { isStorageError, type ObjectKey } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";
import { rvOf, thing } from "./objects.ts";

/** Registers the object cases. */
export function crudCases(ctx: ConformanceContext): void {
  const key = (name: string, namespace = "default"): ObjectKey => ({ resource: ctx.resource(), namespace, name });

  it("create stores the object and returns it with a decimal resourceVersion", async () => {
    const s = ctx.storage();
    const k = key("a");
    const created = await s.create(k, thing(k, { replicas: 1 }));
    assert.match(created.metadata.resourceVersion as string, /^[1-9][0-9]*$/);
    assert.deepEqual(created.spec, { replicas: 1 });
    assert.deepEqual(await s.get(k), created);
  });

  it("ignores a resourceVersion sent by the client and never stores one", async () => {
    const s = ctx.storage();
    const k = key("b");
    const obj = thing(k);
    obj.metadata.resourceVersion = "987654321";
    const created = await s.create(k, obj);
    assert.notEqual(created.metadata.resourceVersion, "987654321");
    assert.equal((await s.get(k))?.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(obj.metadata.resourceVersion, "987654321", "the caller's object is not modified");
  });

  it("returns copies: changing a returned object changes nothing stored", async () => {
    const s = ctx.storage();
    const k = key("c");
    const created = await s.create(k, thing(k, { x: 1 }));
    (created.spec as { x: number }).x = 2;
    const got = await s.get(k);
    assert.deepEqual(got?.spec, { x: 1 });
    (got!.spec as { x: number }).x = 3;
    assert.deepEqual((await s.get(k))?.spec, { x: 1 });
  });

  it("get of a missing key is undefined", async () => {
    assert.equal(await ctx.storage().get(key("missing")), undefined);
  });

  it("create of an existing key fails with KeyExists and changes nothing", async () => {
    const s = ctx.storage();
    const k = key("d");
    const created = await s.create(k, thing(k, { v: 1 }));
    await assert.rejects(
      s.create(k, thing(k, { v: 2 })),
      (err) => isStorageError(err, "KeyExists") && err.key?.name === "d",
    );
    assert.deepEqual(await s.get(k), created);
  });

  it("update at the current resourceVersion replaces the object with a higher one", async () => {
    const s = ctx.storage();
    const k = key("e");
    const created = await s.create(k, thing(k, { v: 1 }));
    const updated = await s.update(k, thing(k, { v: 2 }), rvOf(created));
    assert.ok(rvOf(updated) > rvOf(created));
    assert.deepEqual(await s.get(k), updated);
  });

  it("update at a stale resourceVersion fails with Conflict naming the stored one", async () => {
    const s = ctx.storage();
    const k = key("f");
    const created = await s.create(k, thing(k, { v: 1 }));
    const updated = await s.update(k, thing(k, { v: 2 }), rvOf(created));
    await assert.rejects(
      s.update(k, thing(k, { v: 3 }), rvOf(created)),
      (err) => isStorageError(err, "Conflict") && err.currentRV === rvOf(updated),
    );
    assert.deepEqual(await s.get(k), updated);
  });

  it("update and delete of a missing key fail with NotFound", async () => {
    const s = ctx.storage();
    const k = key("g");
    await assert.rejects(s.update(k, thing(k), 1), (err) => isStorageError(err, "NotFound"));
    await assert.rejects(s.delete(k), (err) => isStorageError(err, "NotFound"));
    await assert.rejects(s.delete(k, 1), (err) => isStorageError(err, "NotFound"));
  });

  it("delete returns the last state with the delete's resourceVersion; a stale expected rv is Conflict", async () => {
    const s = ctx.storage();
    const k = key("h");
    const created = await s.create(k, thing(k, { v: 1 }));
    const updated = await s.update(k, thing(k, { v: 2 }), rvOf(created));
    await assert.rejects(
      s.delete(k, rvOf(created)),
      (err) => isStorageError(err, "Conflict") && err.currentRV === rvOf(updated),
    );
    const deleted = await s.delete(k, rvOf(updated));
    assert.ok(rvOf(deleted) > rvOf(updated));
    assert.deepEqual(deleted.spec, { v: 2 });
    assert.equal(await s.get(k), undefined);
    const again = await s.create(k, thing(k, { v: 3 }));
    assert.ok(rvOf(again) > rvOf(deleted));
    const removed = await s.delete(k);
    assert.deepEqual(removed.spec, { v: 3 });
  });

  it("keys are scoped by resource and namespace; cluster-scoped keys use namespace ''", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const other = ctx.resource();
    const keys: ObjectKey[] = [
      { resource, namespace: "ns1", name: "same" },
      { resource, namespace: "ns2", name: "same" },
      { resource, namespace: "", name: "same" },
      { resource: other, namespace: "ns1", name: "same" },
    ];
    for (const [i, k] of keys.entries()) await s.create(k, thing(k, { i }));
    for (const [i, k] of keys.entries()) assert.deepEqual((await s.get(k))?.spec, { i });
  });

  it("resource versions strictly increase, and currentRV covers every acknowledged write", async () => {
    const s = ctx.storage();
    let last = await s.currentRV();
    for (let i = 0; i < 10; i++) {
      const k = key(`m${i}`, i % 2 ? "odd" : "even");
      const rv = rvOf(await s.create(k, thing(k)));
      assert.ok(rv > last, `${rv} > ${last}`);
      last = rv;
      assert.ok((await s.currentRV()) >= rv);
    }
  });

  it("concurrent updates at one resourceVersion: exactly one wins, the rest conflict", async () => {
    const s = ctx.storage();
    const k = key("race");
    const created = await s.create(k, thing(k, { v: 0 }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => s.update(k, thing(k, { v: i + 1 }), rvOf(created))),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 1);
    for (const r of results) if (r.status === "rejected") assert.ok(isStorageError(r.reason, "Conflict"));
    assert.deepEqual(await s.get(k), (won[0] as PromiseFulfilledResult<unknown>).value);
  });

  it("concurrent creates of one key: exactly one wins, the rest get KeyExists", async () => {
    const s = ctx.storage();
    const k = key("race-create");
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => s.create(k, thing(k, { i }))));
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) if (r.status === "rejected") assert.ok(isStorageError(r.reason, "KeyExists"));
  });

  it("an object the database can not store fails with Invalid and writes nothing", async () => {
    const s = ctx.storage();
    const k = key("nul");
    await assert.rejects(s.create(k, thing(k, { text: "a\u0000b" })), (err) => isStorageError(err, "Invalid"));
    assert.equal(await s.get(k), undefined);
  });
}
