import { test } from "node:test";
import assert from "node:assert/strict";
import { parseManifests } from "./load.ts";

const env = (name: string) =>
  `apiVersion: release.stella.io/v1alpha1\nkind: Environment\nmetadata:\n  name: ${name}\nspec: {}\n`;

test("multi-document YAML keeps document numbers", () => {
  const r = parseManifests("f.yaml", [env("a"), env("b")].join("---\n"));
  assert.deepEqual(
    r.manifests.map((m) => [m.document, m.object.metadata.name, m.info.plural]),
    [
      [1, "a", "environments"],
      [2, "b", "environments"],
    ],
  );
  assert.equal(r.problems.length, 0);
});

test("a broken document is reported with its number and line; the others still load", () => {
  const r = parseManifests("f.yaml", [env("a"), "metadata: [oops\n", env("c")].join("---\n"));
  assert.deepEqual(
    r.manifests.map((m) => m.object.metadata.name),
    ["a", "c"],
  );
  assert.equal(r.problems[0].document, 2);
  assert.match(r.problems[0].message, /not valid YAML \(line/);
});

test("unknown kinds and missing names are problems", () => {
  const r = parseManifests(
    "f.yaml",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\napiVersion: release.stella.io/v1alpha1\nkind: Release\nmetadata: {}\n",
  );
  assert.match(r.problems[0].message, /no kind "Pod"/);
  assert.match(r.problems[1].message, /metadata.name is not set/);
});

test("kind: List is flattened", () => {
  const r = parseManifests(
    "l.yaml",
    `apiVersion: v1\nkind: List\nitems:\n- apiVersion: release.stella.io/v1alpha1\n  kind: Environment\n  metadata: {name: x}\n`,
  );
  assert.equal(r.manifests[0].object.metadata.name, "x");
});
