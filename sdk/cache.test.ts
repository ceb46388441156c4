import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../crds/meta.ts";
import { Cache, LABEL_INDEX, NAMESPACE_INDEX, OWNER_INDEX, objectKey, splitKey } from "./cache.ts";

const obj = (
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  owners: string[] = [],
  rv = "1",
): StellaObject => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: {
    namespace,
    name,
    labels,
    resourceVersion: rv,
    ownerReferences: owners.map((uid) => ({ apiVersion: "v", kind: "K", name: uid, uid })),
  },
  spec: { driver: "docker" },
});
const names = (list: StellaObject[]) => list.map((o) => o.metadata.name).sort();

test("keys are namespace/name, or the name alone when cluster-scoped", () => {
  assert.equal(objectKey(obj("shop", "web")), "shop/web");
  assert.equal(objectKey({ metadata: { name: "shop" } }), "shop");
  assert.deepEqual(splitKey("shop/web"), { namespace: "shop", name: "web" });
  assert.deepEqual(splitKey("shop"), { namespace: "", name: "shop" });
});

test("namespace, label and owner indexes follow upserts and removals", () => {
  const c = new Cache();
  c.upsert(obj("shop", "a", { tier: "web" }, ["u1"]));
  c.upsert(obj("shop", "b", { tier: "db" }, ["u1", "u2"]));
  c.upsert(obj("blog", "c", { tier: "web" }));
  assert.deepEqual(names(c.byIndex(NAMESPACE_INDEX, "shop")), ["a", "b"]);
  assert.deepEqual(names(c.byIndex(LABEL_INDEX, "tier=web")), ["a", "c"]);
  assert.deepEqual(names(c.byIndex(OWNER_INDEX, "u1")), ["a", "b"]);
  assert.deepEqual(names(c.byIndex(OWNER_INDEX, "u2")), ["b"]);

  c.upsert(obj("shop", "a", { tier: "db" }, [])); // relabelled, orphaned
  assert.deepEqual(names(c.byIndex(LABEL_INDEX, "tier=web")), ["c"]);
  assert.deepEqual(names(c.byIndex(LABEL_INDEX, "tier=db")), ["a", "b"]);
  assert.deepEqual(names(c.byIndex(OWNER_INDEX, "u1")), ["b"]);

  c.remove("shop/b");
  assert.deepEqual(names(c.byIndex(OWNER_INDEX, "u1")), []);
  assert.deepEqual(c.indexValues(OWNER_INDEX), [], "empty index values are dropped");
  assert.equal(c.size, 2);
});

test("select intersects namespace and labels", () => {
  const c = new Cache();
  c.upsert(obj("shop", "a", { tier: "web", env: "prod" }));
  c.upsert(obj("shop", "b", { tier: "web", env: "dev" }));
  c.upsert(obj("blog", "c", { tier: "web", env: "prod" }));
  assert.deepEqual(names(c.select({ namespace: "shop", labels: { tier: "web", env: "prod" } })), ["a"]);
  assert.deepEqual(names(c.select({ labels: { env: "prod" } })), ["a", "c"]);
  assert.deepEqual(names(c.select({ namespace: "none" })), []);
  assert.equal(c.select({}).length, 3);
});

test("custom index functions, also added after objects are cached", () => {
  const c = new Cache({ driver: (o) => [(o.spec as { driver: string }).driver] });
  c.upsert(obj("shop", "a"));
  c.addIndexers({ byName: (o) => [o.metadata.name!] });
  assert.deepEqual(names(c.byIndex("driver", "docker")), ["a"]);
  assert.deepEqual(names(c.byIndex("byName", "a")), ["a"]);
  assert.throws(() => c.addIndexers({ driver: () => [] }));
  assert.throws(() => c.byIndex("nope", "x"));
});

test("replace reports what it added, changed and removed", () => {
  const c = new Cache();
  c.upsert(obj("shop", "keep", {}, [], "1"));
  c.upsert(obj("shop", "gone", { tier: "web" }));
  const delta = c.replace([obj("shop", "keep", {}, [], "5"), obj("shop", "new")]);
  assert.deepEqual(names(delta.added), ["new"]);
  assert.deepEqual(
    delta.updated.map((u) => [u.old.metadata.resourceVersion, u.obj.metadata.resourceVersion]),
    [["1", "5"]],
  );
  assert.deepEqual(names(delta.deleted), ["gone"]);
  assert.deepEqual(c.byIndex(LABEL_INDEX, "tier=web"), []);
  assert.deepEqual(c.keys().sort(), ["shop/keep", "shop/new"]);
});
