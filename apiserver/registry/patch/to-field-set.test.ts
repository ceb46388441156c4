import { test } from "node:test";
import assert from "node:assert/strict";
import { FieldSet } from "./field-set.ts";
import { defaultListMapKeys } from "./list-semantics.ts";
import { fieldSet } from "./to-field-set.ts";

test("an applied Release: leaves, components by name, atomic command, labels as map of leaves", () => {
  const applied = {
    metadata: { labels: { app: "shop", "stella.io/env": "dev" } },
    spec: {
      version: "1.4.0",
      components: [
        { name: "web", image: "reg/web:1", command: ["sh", "-c", "x"], ports: [{ name: "http", containerPort: 8080 }] },
        { name: "api", image: "reg/api:1" },
      ],
    },
  };
  assert.deepEqual(fieldSet(applied).toFieldsV1(), {
    "f:metadata": { "f:labels": { "f:app": {}, "f:stella.io/env": {} } },
    "f:spec": {
      "f:components": {
        'k:{"name":"api"}': { ".": {}, "f:image": {}, "f:name": {} },
        'k:{"name":"web"}': {
          ".": {},
          "f:command": {},
          "f:image": {},
          "f:name": {},
          "f:ports": { 'k:{"name":"http"}': { ".": {}, "f:containerPort": {}, "f:name": {} } },
        },
      },
      "f:version": {},
    },
  });
});

test("lists whose items lack a name are atomic leaves (canary steps)", () => {
  const applied = {
    spec: { steps: [{ setWeight: 10 }, { pause: {} }], upstream: ["dev"], mixed: [{ name: "a" }, { other: 1 }] },
  };
  assert.deepEqual(fieldSet(applied).toFieldsV1(), { "f:spec": { "f:mixed": {}, "f:steps": {}, "f:upstream": {} } });
});

test("objects are containers: an empty object owns nothing; null is a leaf", () => {
  assert.ok(fieldSet({ spec: { router: {} } }).isEmpty());
  assert.deepEqual(fieldSet({ spec: { paused: null } }).paths(), [["f:spec", "f:paused"]]);
});

test("the listMapKeys hook decides per path", () => {
  const applied = { spec: { steps: [{ id: "a", weight: 1 }], components: [{ name: "web" }] } };
  const byId = (path: readonly string[], items: readonly unknown[]) =>
    path.join(".") === "spec.steps" ? ["id"] : defaultListMapKeys(path, items);
  const set = fieldSet(applied, { listMapKeys: byId });
  assert.ok(set.has(["f:spec", "f:steps", 'k:{"id":"a"}', "f:weight"]));
  assert.ok(set.has(["f:spec", "f:components", 'k:{"name":"web"}']));
  const atomic = fieldSet(applied, { listMapKeys: () => undefined });
  assert.ok(
    atomic.equals(
      FieldSet.of([
        ["f:spec", "f:steps"],
        ["f:spec", "f:components"],
      ]),
    ),
  );
});

test("ownerReferences are keyed by uid, as in Kubernetes", () => {
  const set = fieldSet({ metadata: { ownerReferences: [{ uid: "u1", name: "a", kind: "K", apiVersion: "v" }] } });
  assert.ok(set.has(["f:metadata", "f:ownerReferences", 'k:{"uid":"u1"}', "f:name"]));
});
