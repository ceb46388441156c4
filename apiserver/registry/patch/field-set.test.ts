import { test } from "node:test";
import assert from "node:assert/strict";
import { ManagedFieldsError } from "./errors.ts";
import { describePath, keyStep } from "./field-path.ts";
import { FieldSet } from "./field-set.ts";

const web = keyStep({ name: "web" });
const set = (...paths: string[][]) => FieldSet.of(paths);

test("fieldsV1 JSON round-trips, members as {} or '.'", () => {
  const json = {
    "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
    "f:spec": { "f:components": { [web]: { ".": {}, "f:image": {}, "f:name": {} } }, "f:replicas": {} },
  };
  const decoded = FieldSet.fromFieldsV1(json);
  assert.ok(decoded.has(["f:spec", "f:replicas"]));
  assert.ok(decoded.has(["f:metadata", "f:labels"]));
  assert.ok(decoded.has(["f:spec", "f:components", web]));
  assert.ok(!decoded.has(["f:spec"]));
  assert.deepEqual(decoded.toFieldsV1(), json);
  assert.equal(JSON.stringify(decoded.toFieldsV1()), JSON.stringify(json), "steps serialize in Kubernetes order");
});

test("steps serialize fields before keys, '.' first", () => {
  const s = set(["f:a", 'k:{"name":"x"}'], ["f:a", "f:z"], ["f:a"], ["f:0"]);
  assert.equal(JSON.stringify(s.toFieldsV1()), '{"f:0":{},"f:a":{".":{},"f:z":{},"k:{\\"name\\":\\"x\\"}":{}}}');
});

test("union, difference, intersection work on exact paths", () => {
  const a = set(["f:spec", "f:a"], ["f:spec", "f:b"], ["f:spec"]);
  const b = set(["f:spec", "f:b"], ["f:spec", "f:c"]);
  assert.deepEqual(a.union(b).paths(), [["f:spec"], ["f:spec", "f:a"], ["f:spec", "f:b"], ["f:spec", "f:c"]]);
  assert.deepEqual(a.difference(b).paths(), [["f:spec"], ["f:spec", "f:a"]]);
  assert.deepEqual(a.intersection(b).paths(), [["f:spec", "f:b"]]);
  assert.deepEqual(
    a.difference(set(["f:spec"])).paths(),
    [
      ["f:spec", "f:a"],
      ["f:spec", "f:b"],
    ],
    "difference is not recursive",
  );
  assert.ok(a.difference(a).isEmpty());
  assert.ok(a.union(b).equals(b.union(a)));
  assert.ok(!a.equals(b));
});

test("withoutPrefixes drops a path and everything beneath it", () => {
  const a = set(["f:status", "f:phase"], ["f:spec", "f:a"], ["f:apiVersion"]);
  assert.deepEqual(a.withoutPrefixes(set(["f:status"], ["f:apiVersion"])).paths(), [["f:spec", "f:a"]]);
});

test("set operations never change their operands", () => {
  const a = set(["f:x", "f:y"]);
  const b = set(["f:x", "f:y"], ["f:z"]);
  a.union(b).insert(["f:w"]);
  b.difference(a);
  assert.deepEqual(a.paths(), [["f:x", "f:y"]]);
  assert.deepEqual(b.paths(), [["f:x", "f:y"], ["f:z"]]);
});

test("malformed fieldsV1 is a ManagedFieldsError", () => {
  for (const bad of [[], { "f:a": 1 }, { "x:a": {} }, { "k:notjson": {} }, { ".": { "f:a": {} } }, { "i:01": {} }]) {
    assert.throws(() => FieldSet.fromFieldsV1(bad), ManagedFieldsError, JSON.stringify(bad));
  }
  assert.ok(FieldSet.fromFieldsV1({ 'v:"x"': {}, "i:0": {} }).has(["i:0"]));
});

test("paths print as Kubernetes prints them in conflicts", () => {
  assert.equal(describePath(["f:spec", "f:replicas"]), ".spec.replicas");
  assert.equal(describePath(["f:spec", "f:components", web, "f:image"]), '.spec.components[name="web"].image');
  assert.equal(
    describePath(["f:ports", keyStep({ protocol: "TCP", containerPort: 80 })]),
    '.ports[containerPort=80,protocol="TCP"]',
  );
  assert.equal(describePath(["f:metadata", "f:finalizers", 'v:"a.io/x"']), '.metadata.finalizers[="a.io/x"]');
  assert.equal(describePath(["f:list", "i:3"]), ".list[3]");
});
