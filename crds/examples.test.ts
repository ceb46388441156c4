// The manifests in ../shared/examples are the user contract: every document validates, and every
// manifest in bad/ is rejected naming each field its `# rejected:` comment names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { isPinned } from "./image.ts";
import { kindForObject } from "./scheme.ts";
import { validateObject } from "./validate.ts";

const examples = new URL("../../shared/examples/", import.meta.url);
const bad = new URL("bad/", examples);
const yamlFiles = (dir: URL) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();

function documents(file: URL): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    assert.deepEqual(doc.errors, [], `YAML errors in ${file.pathname}`);
    return doc.toJS() as Record<string, unknown>;
  });
}

function validate(obj: Record<string, unknown>) {
  const info = kindForObject(String(obj.apiVersion), String(obj.kind));
  assert.ok(info, `no kind serves ${String(obj.apiVersion)} ${String(obj.kind)}`);
  return validateObject(info, obj);
}

/** Field paths named in `# rejected: a.b must ...; c.d must ...`. */
function rejectedFields(text: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith("# rejected:"));
  assert.ok(line, "bad example without a '# rejected:' comment");
  return line
    .slice("# rejected:".length)
    .split(";")
    .map((part) => part.trim().split(/\s+/)[0]);
}

test("the example directories hold manifests", () => {
  assert.ok(yamlFiles(examples).length >= 5);
  assert.ok(yamlFiles(bad).length >= 5);
});

for (const name of yamlFiles(examples)) {
  test(`every document of ${name} validates`, () => {
    const docs = documents(new URL(name, examples));
    assert.ok(docs.length > 0);
    for (const obj of docs) {
      const result = validate(obj);
      assert.ok(result.ok, `${name} ${String(obj.kind)}: ${JSON.stringify(!result.ok && result.causes)}`);
    }
  });
}

for (const name of yamlFiles(bad)) {
  test(`bad/${name} is rejected at the field its comment names`, () => {
    const file = new URL(name, bad);
    const expected = rejectedFields(readFileSync(file, "utf8"));
    const [obj] = documents(file);
    const result = validate(obj);
    assert.equal(result.ok, false);
    const fields = result.ok ? [] : result.causes.map((c) => c.field);
    for (const field of expected)
      assert.ok(fields.includes(field), `expected a cause at ${field}, got ${JSON.stringify(fields)}`);
  });
}

test("the comment parser reads both fields of deployment-bad-strategy", () => {
  const text = readFileSync(new URL("deployment-bad-strategy.yaml", bad), "utf8");
  assert.deepEqual(rejectedFields(text), ["spec.strategy.type", "spec.strategy.maxParallel"]);
});

test("release.yaml gives tag references; the same release pinned by digest validates too", () => {
  const [release] = documents(new URL("release.yaml", examples));
  const spec = release.spec as { components: { image: string }[] };
  assert.deepEqual(
    spec.components.map((c) => isPinned(c.image)),
    [false, false],
  );
  spec.components[1].image = `127.0.0.1:5000/shop/worker@sha256:${"ab".repeat(32)}`;
  assert.equal(isPinned(spec.components[1].image), true);
  assert.ok(validate(release).ok);
});
