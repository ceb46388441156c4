import { test } from "node:test";
import assert from "node:assert/strict";
import { namespaceKind } from "./namespace.ts";
import { apiVersionOf, groupOf } from "./scheme.ts";
import { validateObject } from "./validate.ts";

test("a namespace is core v1, cluster-scoped, named by a DNS label", () => {
  assert.equal(apiVersionOf(namespaceKind), "v1");
  assert.equal(groupOf(namespaceKind), "");
  assert.equal(namespaceKind.namespaced, false);
  const ok = validateObject(namespaceKind, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "shop" },
    status: { phase: "Active" },
  });
  assert.ok(ok.ok);
  const dotted = validateObject(namespaceKind, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "shop.prod" },
  });
  assert.deepEqual(dotted.ok ? [] : dotted.causes.map((c) => c.field), ["metadata.name"]);
  const wrongGroup = validateObject(namespaceKind, {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Namespace",
    metadata: { name: "shop" },
  });
  assert.deepEqual(wrongGroup.ok ? [] : wrongGroup.causes.map((c) => c.field), ["apiVersion"]);
});

test("a namespace phase is Active or Terminating", () => {
  const result = validateObject(namespaceKind, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "shop" },
    status: { phase: "Gone" },
  });
  assert.deepEqual(result.ok ? [] : result.causes.map((c) => [c.field, c.reason]), [
    ["status.phase", "FieldValueNotSupported"],
  ]);
});
