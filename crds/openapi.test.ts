import { test } from "node:test";
import assert from "node:assert/strict";
import {
  groupVersions,
  openApiDocument,
  openApiForGroupVersion,
  openApiHash,
  openApiRoot,
  schemaName,
} from "./openapi.ts";
import { groupOf, kinds, versionOf } from "./scheme.ts";
import type { JsonSchema } from "./json-schema.ts";

const gvkOf = (info: (typeof kinds)[number]) => ({ group: groupOf(info), version: versionOf(info), kind: info.kind });

test("every kind has a component schema tagged with its group-version-kind and described", () => {
  for (const info of kinds) {
    const doc = openApiForGroupVersion(groupOf(info), versionOf(info));
    const schema = doc?.components.schemas[schemaName(info)];
    assert.ok(schema, info.kind);
    assert.deepEqual(schema["x-kubernetes-group-version-kind"], [gvkOf(info)]);
    assert.equal(schema.description, info.description);
    assert.equal(schema.type, "object");
  }
  assert.ok(openApiDocument().components.schemas["io.stella.release.v1alpha1.Release"]);
  assert.ok(openApiForGroupVersion("", "v1")?.components.schemas["io.k8s.api.core.v1.Namespace"]);
});

test("documents are plain JSON that round-trips, and unknown group-versions have none", () => {
  for (const [group, version] of groupVersions()) {
    const doc = openApiForGroupVersion(group, version);
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
  }
  assert.equal(openApiForGroupVersion("apps", "v1"), undefined);
});

test("the root lists each group-version with a hashed server-relative URL", () => {
  const root = openApiRoot();
  assert.deepEqual(Object.keys(root.paths).sort(), [
    "api/v1",
    "apis/events.k8s.io/v1",
    "apis/release.stella.io/v1alpha1",
  ]);
  const url = root.paths["apis/release.stella.io/v1alpha1"].serverRelativeURL;
  assert.equal(url, `/openapi/v3/apis/release.stella.io/v1alpha1?hash=${openApiHash("release.stella.io", "v1alpha1")}`);
  assert.match(url, /\?hash=[0-9A-F]{128}$/);
});

test("kubectl explain finds each kind through a path operation and field descriptions", () => {
  const doc = openApiDocument();
  const ops = doc.paths["/apis/release.stella.io/v1alpha1/namespaces/{namespace}/environments"];
  assert.deepEqual((ops.get as JsonSchema)["x-kubernetes-group-version-kind"], {
    group: "release.stella.io",
    version: "v1alpha1",
    kind: "Environment",
  });
  const ns = openApiForGroupVersion("", "v1")?.paths["/api/v1/namespaces"];
  assert.deepEqual((ns?.get as JsonSchema)["x-kubernetes-group-version-kind"], {
    group: "",
    version: "v1",
    kind: "Namespace",
  });
  const spec = (
    doc.components.schemas["io.stella.release.v1alpha1.Deployment"].properties as Record<string, JsonSchema>
  ).spec;
  const strategy = (spec.properties as Record<string, JsonSchema>).strategy;
  assert.deepEqual((strategy.properties as Record<string, JsonSchema>).type.enum, [
    "AllAtOnce",
    "Rolling",
    "BlueGreen",
    "Canary",
  ]);
  assert.match(
    String((strategy.properties as Record<string, JsonSchema>).maxParallel.description),
    /targets update at once/,
  );
});

test("PATCH declares fieldValidation and no strategic merge patch, so kubectl validates on the server and merges", () => {
  for (const info of kinds) {
    const doc = openApiForGroupVersion(groupOf(info), versionOf(info));
    const patches = Object.values(doc?.paths ?? {})
      .map((item) => item.patch as JsonSchema | undefined)
      .filter(
        (op): op is JsonSchema =>
          op !== undefined && JSON.stringify(op["x-kubernetes-group-version-kind"]) === JSON.stringify(gvkOf(info)),
      );
    assert.ok(patches.length >= 1, info.kind);
    for (const op of patches) {
      const params = (op.parameters as { name: string; in: string }[])
        .filter((p) => p.in === "query")
        .map((p) => p.name);
      assert.ok(params.includes("fieldValidation"), info.kind);
      const content = Object.keys((op.requestBody as { content: object }).content);
      assert.ok(!content.includes("application/strategic-merge-patch+json"), info.kind);
      assert.ok(
        content.includes("application/merge-patch+json") && content.includes("application/apply-patch+yaml"),
        info.kind,
      );
    }
  }
});

test("OpenAPI 3.0 schemas avoid JSON Schema keywords 3.0 lacks", () => {
  const text = JSON.stringify(openApiDocument().components);
  for (const keyword of ['"const"', '"$defs"', '"propertyNames"', '"contentEncoding"', '"$schema"'])
    assert.ok(!text.includes(keyword), keyword);
  const release = JSON.stringify(openApiDocument().components.schemas["io.stella.release.v1alpha1.Release"]);
  assert.ok(release.includes('"format":"int-or-string"'));
});
