import { test } from "node:test";
import assert from "node:assert/strict";
import { applyMergePatch, createMergePatch, jsonEqual, threeWayMergePatch, type JsonObject } from "./merge-patch.ts";

test("a merge patch sets changed keys, nulls removed ones, and replaces lists whole", () => {
  assert.deepEqual(createMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: 1, b: { c: 5 }, l: [1], n: "x" }), {
    b: { c: 5, d: null },
    l: [1],
    n: "x",
  });
  assert.deepEqual(createMergePatch({ a: { b: 1 } }, { a: { b: 1 } }), {});
  assert.deepEqual(createMergePatch({ a: "s" }, { a: { b: 1 } }), { a: { b: 1 } });
});

test("applying a merge patch deletes nulls and merges objects", () => {
  assert.deepEqual(applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { d: null, e: 4 }, f: [1] }), {
    a: 1,
    b: { c: 2, e: 4 },
    f: [1],
  });
  assert.ok(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
  assert.ok(!jsonEqual({ a: [1] }, { a: [1, 2] }));
});

const live: JsonObject = {
  apiVersion: "v",
  kind: "Environment",
  metadata: { name: "dev", uid: "u1", resourceVersion: "7", labels: { team: "a", "added-by-controller": "yes" } },
  spec: { displayName: "Dev", upstream: ["x"], requiredSoak: "1h", defaulted: true },
  status: { phase: "Ready" },
};

test("three-way: an unchanged manifest is an empty patch even though the live object has more", () => {
  const manifest: JsonObject = {
    apiVersion: "v",
    kind: "Environment",
    metadata: { name: "dev", labels: { team: "a" } },
    spec: { displayName: "Dev", upstream: ["x"], requiredSoak: "1h" },
  };
  assert.deepEqual(threeWayMergePatch(manifest, manifest, live), {});
});

test("three-way: fields dropped from the manifest since the last apply are deleted (a dropped map whole, as kubectl does), others' fields kept", () => {
  const last: JsonObject = {
    metadata: { name: "dev", labels: { team: "a" } },
    spec: { displayName: "Dev", upstream: ["x"], requiredSoak: "1h" },
  };
  const next: JsonObject = { metadata: { name: "dev" }, spec: { displayName: "Development", upstream: ["x", "y"] } };
  assert.deepEqual(threeWayMergePatch(last, next, live), {
    metadata: { labels: null },
    spec: { displayName: "Development", upstream: ["x", "y"], requiredSoak: null },
  });
});

test("three-way: a key dropped inside a map deletes just that key", () => {
  const last: JsonObject = { metadata: { labels: { team: "a", tier: "1" } } };
  const next: JsonObject = { metadata: { labels: { tier: "1" } } };
  assert.deepEqual(threeWayMergePatch(last, next, { metadata: { labels: { team: "a", tier: "1", other: "x" } } }), {
    metadata: { labels: { team: null } },
  });
});

test("three-way: without a last applied manifest nothing is deleted", () => {
  const next: JsonObject = { metadata: { name: "dev" }, spec: { displayName: "Dev" } };
  assert.deepEqual(threeWayMergePatch(undefined, next, live), {});
});

test("three-way: a field changed on the server back to the manifest's value is restored", () => {
  const manifest: JsonObject = { spec: { displayName: "Dev" } };
  assert.deepEqual(threeWayMergePatch(manifest, manifest, { ...live, spec: { displayName: "edited by hand" } }), {
    spec: { displayName: "Dev" },
  });
});

test("three-way: an explicitly empty object is set, not ignored", () => {
  assert.deepEqual(threeWayMergePatch(undefined, { spec: { gates: {} } }, { spec: {} }), { spec: { gates: {} } });
});
