// crds/generated/ is what editors and reviewers read; it must match the schemas. When this fails,
// run `npx tsx hack/codegen.ts` and commit the result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { kindJsonSchema } from "./json-schema.ts";
import { groupVersions, openApiForGroupVersion } from "./openapi.ts";
import { kindSchemaFile, kinds } from "./scheme.ts";

const generated = new URL("generated/", import.meta.url);
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, generated), "utf8"));

test("the generated OpenAPI documents match the schemas", () => {
  for (const [group, version] of groupVersions()) {
    assert.deepEqual(
      read(`openapi-${group || "core"}-${version}.json`),
      JSON.parse(JSON.stringify(openApiForGroupVersion(group, version))),
    );
  }
});

test("the generated editor schemas match the schemas", () => {
  for (const info of kinds)
    assert.deepEqual(read(kindSchemaFile(info)), kindJsonSchema(info, "draft-2020-12"), info.kind);
});
