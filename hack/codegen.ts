// Writes what is generated from the zod schemas in crds/: the OpenAPI v3 document of every
// group-version (crds/generated/openapi-<group>-<version>.json, group `core` for the core group)
// and one JSON Schema per kind for editors (crds/generated/<kind>.schema.json).
// Run: npx tsx hack/codegen.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { kindJsonSchema } from "../crds/json-schema.ts";
import { groupVersions, openApiForGroupVersion } from "../crds/openapi.ts";
import { kindSchemaFile, kinds } from "../crds/scheme.ts";

const out = fileURLToPath(new URL("../crds/generated/", import.meta.url));
mkdirSync(out, { recursive: true });
for (const name of readdirSync(out)) if (name.endsWith(".json")) rmSync(out + name);

const write = (name: string, value: unknown) => {
  writeFileSync(out + name, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote crds/generated/${name}`);
};

for (const [group, version] of groupVersions())
  write(`openapi-${group || "core"}-${version}.json`, openApiForGroupVersion(group, version));
for (const info of kinds) write(kindSchemaFile(info), kindJsonSchema(info, "draft-2020-12"));
