import { test } from "node:test";
import assert from "node:assert/strict";
import { EVIDENCE_BUNDLE_API_VERSION, EVIDENCE_BUNDLE_KIND, makeBundle, parseBundle, verifyBundle } from "./bundle.ts";
import { BundleInvalidError } from "./errors.ts";
import { keyIdOfPem } from "./keys.ts";
import { sealedChain, testKey } from "./test-packets.ts";

const key = testKey();
const chain = sealedChain(3, key.privateKey);
const now = new Date("2025-03-02T00:00:00Z");

test("a bundle carries the namespace, the key and the packets in sequence order, and survives a file round trip", () => {
  const bundle = makeBundle("shop", [chain[2], chain[0], chain[1]], key.publicKeyPem, now);
  assert.equal(bundle.apiVersion, EVIDENCE_BUNDLE_API_VERSION);
  assert.equal(bundle.kind, EVIDENCE_BUNDLE_KIND);
  assert.equal(bundle.exportedAt, "2025-03-02T00:00:00.000Z");
  assert.equal(bundle.keyId, keyIdOfPem(key.publicKeyPem));
  assert.deepEqual(
    bundle.packets.map((p) => p.metadata.name),
    ["p0", "p1", "p2"],
  );
  const read = parseBundle(JSON.stringify(bundle, null, 2));
  assert.deepEqual(read, bundle);
  const v = verifyBundle(read, key.publicKeyPem);
  assert.equal(v.ok, true);
  assert.equal(v.keyMatches, true);
});

test("a tampered bundle fails, and one checked with another key says the key differs", () => {
  const bundle = makeBundle("shop", chain, key.publicKeyPem, now);
  const text = JSON.stringify(bundle).replace('"outcome":"Approved"', '"outcome":"Rejected"');
  const v = verifyBundle(parseBundle(text), key.publicKeyPem);
  assert.equal(v.ok, false);
  assert.deepEqual(
    v.packets.map((p) => p.ok),
    [false, true, true],
  );
  const other = testKey();
  const w = verifyBundle(bundle, other.publicKeyPem);
  assert.equal(w.keyMatches, false);
  assert.ok(w.packets.every((p) => p.problems[0].kind === "WrongKey"));
});

test("a file that is not a bundle names what is wrong", () => {
  const refused = (text: string, field: string) =>
    assert.throws(
      () => parseBundle(text),
      (e: unknown) => e instanceof BundleInvalidError && e.field === field,
    );
  refused("{", "");
  refused(JSON.stringify({ ...makeBundle("shop", chain, key.publicKeyPem, now), kind: "Other" }), "kind");
  const bundle = makeBundle("shop", chain, key.publicKeyPem, now) as unknown as { packets: unknown[] };
  bundle.packets[1] = { spec: {} };
  refused(JSON.stringify(bundle), "packets[1].metadata");
});
