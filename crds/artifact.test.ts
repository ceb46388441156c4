import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  artifactDigest,
  artifactFor,
  artifactKind,
  artifactNameOf,
  contentSize,
  digestOfArtifactName,
} from "./artifact.ts";
import { resolveResource } from "./scheme.ts";
import { validateObject } from "./validate.ts";

const content = '{"Image":"127.0.0.1:5000/shop/web@sha256:abc","Env":["GREETING=héllo ☃"]}\n';
const hex = createHash("sha256").update(Buffer.from(content, "utf8")).digest("hex");

const causes = (obj: unknown) => {
  const r = validateObject(artifactKind, obj);
  return r.ok ? [] : r.causes.map((c) => `${c.field}: ${c.message}`);
};

test("artifactFor names the object by the sha256 of the content's UTF-8 bytes and counts those bytes", () => {
  const a = artifactFor(
    "shop",
    { type: "container-spec", mediaType: "application/json", content },
    { "stella.io/deployment": "d1" },
  );
  assert.equal(a.metadata.name, `sha256-${hex}`);
  assert.equal(a.metadata.namespace, "shop");
  assert.equal(a.spec.size, Buffer.from(content, "utf8").length);
  assert.notEqual(a.spec.size, content.length, "multi-byte characters count as bytes, not UTF-16 units");
  assert.deepEqual(causes(a), []);
});

test("digests and names convert both ways; anything else is undefined", () => {
  assert.equal(artifactDigest(content), `sha256:${hex}`);
  assert.equal(artifactNameOf(`sha256:${hex}`), `sha256-${hex}`);
  assert.equal(digestOfArtifactName(`sha256-${hex}`), `sha256:${hex}`);
  assert.equal(artifactNameOf("sha512:abc"), undefined);
  assert.equal(artifactNameOf(`sha256:${hex.toUpperCase()}`), undefined);
  assert.equal(digestOfArtifactName("web-config"), undefined);
  assert.equal(contentSize(""), 0);
});

test("the schema requires the digest form of the name, a known type, and an integer size", () => {
  const good = artifactFor("shop", { type: "compose-file", mediaType: "application/yaml", content: "services: {}\n" });
  assert.deepEqual(causes({ ...good, metadata: { ...good.metadata, name: "my-compose" } }), [
    'metadata.name: Invalid value: "my-compose": must be sha256- followed by the 64 lowercase hex digits of the content\'s sha256',
  ]);
  assert.deepEqual(
    causes({ ...good, spec: { ...good.spec, type: "helm-chart" } }).map((c) => c.split(":")[0]),
    ["spec.type"],
  );
  assert.deepEqual(
    causes({ ...good, spec: { ...good.spec, size: 1.5 } }).map((c) => c.split(":")[0]),
    ["spec.size"],
  );
  const { size: _size, ...noSize } = good.spec;
  assert.deepEqual(
    causes({ ...good, spec: noSize }).map((c) => c.split(":")[0]),
    ["spec.size"],
  );
});

test("content must have a UTF-8 encoding: an unpaired surrogate is refused", () => {
  const a = artifactFor("shop", { type: "nomad-job", mediaType: "application/json", content: "ok" });
  assert.deepEqual(
    causes({ ...a, spec: { ...a.spec, content: "bad \ud800 text" } }).map((c) => c.split(":")[0]),
    ["spec.content"],
  );
  assert.deepEqual(causes({ ...a, spec: { ...a.spec, content: "pair \ud83d\ude00 ok" } }), []);
});

test("the kind is namespaced, has no status or short name, and shows type, size and media type", () => {
  assert.equal(resolveResource("artifacts")?.kind, "Artifact");
  assert.equal(resolveResource("artifact")?.kind, "Artifact");
  assert.equal(artifactKind.namespaced, true);
  assert.equal(artifactKind.hasStatus, false);
  assert.deepEqual(artifactKind.shortNames, []);
  assert.deepEqual(
    artifactKind.printerColumns.map((c) => c.name),
    ["Type", "Size", "Media Type"],
  );
});
