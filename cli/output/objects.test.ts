import { test } from "node:test";
import assert from "node:assert/strict";
import { environmentKind } from "../../crds/environment.ts";
import { namespaceKind } from "../../crds/namespace.ts";
import { UsageError } from "../command.ts";
import { formatObjects, objectName, parseOutput, qualifiedResource, toYaml } from "./objects.ts";

const env = {
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name: "dev", namespace: "shop", resourceVersion: "3", managedFields: [{ manager: "x" }] },
  spec: { upstream: ["a"], displayName: "Dev" },
};

test("-o parses known formats and rejects others as usage errors", () => {
  const all = ["table", "wide", "yaml", "json", "name", "jsonpath"] as const;
  assert.deepEqual(parseOutput(undefined, all), { kind: "table" });
  assert.deepEqual(parseOutput("wide", all), { kind: "wide" });
  assert.deepEqual(parseOutput("jsonpath={.a}", all), { kind: "jsonpath", template: "{.a}" });
  assert.throws(() => parseOutput("xml", all), UsageError);
  assert.throws(() => parseOutput("wide", ["table", "yaml"]), UsageError);
  assert.throws(() => parseOutput("jsonpath=", all), UsageError);
});

test("names are kind.group/name; the core group has no group", () => {
  assert.equal(objectName(environmentKind, "dev"), "environment.release.stella.io/dev");
  assert.equal(objectName(namespaceKind, "shop"), "namespace/shop");
  assert.equal(qualifiedResource(environmentKind), "environments.release.stella.io");
});

test("yaml: sorted keys, unindented sequences, managedFields hidden; several objects make a List", () => {
  const one = formatObjects([{ info: environmentKind, object: env }], { kind: "yaml" }, { single: true });
  assert.equal(
    one,
    'apiVersion: release.stella.io/v1alpha1\nkind: Environment\nmetadata:\n  name: dev\n  namespace: shop\n  resourceVersion: "3"\nspec:\n  displayName: Dev\n  upstream:\n  - a\n',
  );
  const two = formatObjects(
    [
      { info: environmentKind, object: env },
      { info: environmentKind, object: env },
    ],
    { kind: "json" },
    { single: false },
  );
  const parsed = JSON.parse(two);
  assert.equal(parsed.kind, "List");
  assert.equal(parsed.items.length, 2);
  assert.ok(two.includes('\n    "apiVersion"'), "four-space indent");
  assert.ok(
    formatObjects(
      [{ info: environmentKind, object: env }],
      { kind: "yaml" },
      { single: true, showManagedFields: true },
    ).includes("managedFields"),
  );
});

test("name and jsonpath", () => {
  assert.equal(
    formatObjects([{ info: environmentKind, object: env }], { kind: "name" }, { single: false }),
    "environment.release.stella.io/dev\n",
  );
  assert.equal(
    formatObjects(
      [{ info: environmentKind, object: env }],
      { kind: "jsonpath", template: "{.spec.displayName}" },
      { single: true },
    ),
    "Dev",
  );
  assert.equal(
    formatObjects(
      [{ info: environmentKind, object: env }],
      { kind: "jsonpath", template: "{.items[*].metadata.name}" },
      { single: false },
    ),
    "dev",
  );
  assert.equal(toYaml({ s: "a\nb\n" }), "s: |\n  a\n  b\n");
});
