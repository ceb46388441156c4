import { test } from "node:test";
import assert from "node:assert/strict";
import { artifactFor } from "../../../crds/artifact.ts";
import type { StellaObject } from "../../../crds/meta.ts";
import { artifactDigestCauses, artifactStrategy } from "./artifact.ts";

const good = artifactFor("shop", {
  type: "compose-file",
  mediaType: "application/yaml",
  content: "services:\n  web-blue: {}\n",
}) as StellaObject;
const fields = (causes: { field?: string }[]) => causes.map((c) => c.field);

test("a name and size computed from the content pass", () => {
  assert.deepEqual(artifactDigestCauses(good), []);
});

test("a digest of other content names metadata.name with the expected name; a wrong size names spec.size", () => {
  const other = artifactFor("shop", { type: "compose-file", mediaType: "application/yaml", content: "services: {}\n" });
  const causes = artifactDigestCauses({ ...good, metadata: { ...good.metadata, name: other.metadata.name } });
  assert.deepEqual(fields(causes), ["metadata.name"]);
  assert.match(causes[0].message, new RegExp(`must be ${good.metadata.name}`));
  const spec = good.spec as { size: number };
  assert.deepEqual(fields(artifactDigestCauses({ ...good, spec: { ...spec, size: spec.size + 1 } })), ["spec.size"]);
});

test("malformed names and fields are left to the schema", () => {
  assert.deepEqual(artifactDigestCauses({ ...good, metadata: { name: "not-a-digest" } }), []);
  assert.deepEqual(artifactDigestCauses({ ...good, spec: { content: 42, size: "x" } }), []);
});

test("spec is write-once; metadata may change", () => {
  const relabelled = { ...good, metadata: { ...good.metadata, labels: { keep: "yes" } } };
  assert.deepEqual(artifactStrategy.validateUpdate!(relabelled, good, undefined), []);
  const edited = { ...good, spec: { ...(good.spec as object), mediaType: "text/plain" } };
  assert.deepEqual(fields(artifactStrategy.validateUpdate!(edited, good, undefined)), ["spec"]);
  assert.equal(artifactStrategy.forbidDelete, undefined);
});
