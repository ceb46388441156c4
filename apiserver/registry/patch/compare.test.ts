import { test } from "node:test";
import assert from "node:assert/strict";
import { compareObjects } from "./compare.ts";
import { defaultListMapKeys, planLists } from "./list-semantics.ts";

const compare = (a: unknown, b: unknown) => {
  const c = compareObjects(a, b, planLists(defaultListMapKeys, a, b));
  return { added: c.added.toFieldsV1(), modified: c.modified.toFieldsV1(), removed: c.removed.toFieldsV1() };
};

test("leaves are modified, members added or removed with their subtrees", () => {
  const before = { spec: { replicas: 1, old: { a: 1 }, same: "x" } };
  const after = { spec: { replicas: 2, added: { b: { c: 1 } }, same: "x" } };
  assert.deepEqual(compare(before, after), {
    added: { "f:spec": { "f:added": { ".": {}, "f:b": { ".": {}, "f:c": {} } } } },
    modified: { "f:spec": { "f:replicas": {} } },
    removed: { "f:spec": { "f:old": { ".": {}, "f:a": {} } } },
  });
});

test("associative lists compare per item; atomic lists as one leaf", () => {
  const before = {
    spec: {
      components: [
        { name: "web", image: "a" },
        { name: "old", image: "o" },
      ],
      command: ["a"],
    },
  };
  const after = {
    spec: {
      components: [
        { name: "new", image: "n" },
        { name: "web", image: "b" },
      ],
      command: ["a", "b"],
    },
  };
  assert.deepEqual(compare(before, after), {
    added: { "f:spec": { "f:components": { 'k:{"name":"new"}': { ".": {}, "f:image": {}, "f:name": {} } } } },
    modified: { "f:spec": { "f:command": {}, "f:components": { 'k:{"name":"web"}': { "f:image": {} } } } },
    removed: { "f:spec": { "f:components": { 'k:{"name":"old"}': { ".": {}, "f:image": {}, "f:name": {} } } } },
  });
});

test("reordering an associative list changes nothing; reordering an atomic one does", () => {
  assert.deepEqual(compare({ l: [{ name: "a" }, { name: "b" }] }, { l: [{ name: "b" }, { name: "a" }] }), {
    added: {},
    modified: {},
    removed: {},
  });
  assert.deepEqual(compare({ l: [1, 2] }, { l: [2, 1] }).modified, { "f:l": {} });
});

test("a value that changes kind is modified and its old children removed", () => {
  assert.deepEqual(compare({ a: { b: 1 } }, { a: "flat" }), {
    added: {},
    modified: { "f:a": {} },
    removed: { "f:a": { "f:b": {} } },
  });
});

test("equal objects compare equal regardless of member order; undefined means empty", () => {
  assert.deepEqual(compare({ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }), { added: {}, modified: {}, removed: {} });
  assert.deepEqual(compare(undefined, { a: 1 }).added, { "f:a": {} });
});
