import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, verify } from "node:crypto";
import { canonicalBytes, evidenceKeyId, evidenceStatement, pae, payloadDigest, sealPacket } from "./evidence-seal.ts";
import {
  DSSE_PAYLOAD_TYPE,
  EVIDENCE_PREDICATE_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  evidencePacketSchema,
  type EvidencePacket,
} from "./evidence-packet.ts";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");

const packet = (name: string): EvidencePacket => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "EvidencePacket",
  metadata: { name, namespace: "shop", labels: { team: "a" }, annotations: { token: "s3cr3t" } },
  spec: {
    type: "GateVerdict",
    subject: { kind: "Promotion", name: "shop-1-prod" },
    decision: { outcome: "Passed" },
    subjects: [{ name: "registry.example/shop/web", digest: { sha256: "a".repeat(64) } }],
    details: { b: 1, a: "ü" },
  },
});

test("PAE follows the DSSE spec's example", () => {
  assert.equal(
    pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString(),
    "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
  );
  assert.equal(pae("t", Buffer.from("ü")).toString(), "DSSEv1 1 t 2 ü", "lengths count bytes, not characters");
});

test("canonical bytes are RFC 8785: sorted keys, no whitespace, ES number form", () => {
  assert.equal(canonicalBytes({ b: [1.0, 1e21, 0.1], a: "é" }).toString(), '{"a":"é","b":[1,1e+21,0.1]}');
  assert.throws(() => canonicalBytes({ a: "\ud800" }), TypeError);
});

test("the key id is the sha256 of the public key's SPKI DER, from either half", () => {
  const want = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
  assert.equal(evidenceKeyId(publicKey), want);
  assert.equal(evidenceKeyId(privateKey), want);
});

test("the Statement signs spec (without seal), position, namespace and name, and nothing else of metadata", () => {
  const s = evidenceStatement(packet("x"), {
    sequence: 4,
    previousDigest: `sha256:${"d".repeat(64)}`,
    sealedAt: "2025-01-01T00:00:00.000Z",
  });
  assert.equal(s._type, IN_TOTO_STATEMENT_TYPE);
  assert.equal(s.predicateType, EVIDENCE_PREDICATE_TYPE);
  assert.deepEqual(s.subject, packet("x").spec.subjects);
  assert.deepEqual(s.predicate, {
    ...packet("x").spec,
    sequence: 4,
    previousDigest: `sha256:${"d".repeat(64)}`,
    sealedAt: "2025-01-01T00:00:00.000Z",
    namespace: "shop",
    name: "x",
  });
  assert.ok(!canonicalBytes(s).toString().includes("s3cr3t"), "annotations are never signed into evidence");
});

test("sealPacket chains, signs PAE(payload) and replaces any seal the packet had", () => {
  const first = sealPacket(packet("a"), undefined, privateKey, new Date("2025-01-01T00:00:00Z"));
  const forged = { ...packet("b"), spec: { ...packet("b").spec, seal: { ...first.spec.seal!, sequence: 99 } } };
  const second = sealPacket(forged, first, privateKey, new Date("2025-01-01T00:00:01Z"));
  assert.equal(first.spec.seal!.sequence, 0);
  assert.equal(first.spec.seal!.previousDigest, undefined);
  assert.equal(second.spec.seal!.sequence, 1);
  assert.equal(second.spec.seal!.previousDigest, first.spec.seal!.digest);
  const seal = second.spec.seal!;
  const payload = Buffer.from(seal.envelope.payload, "base64");
  assert.equal(seal.envelope.payloadType, DSSE_PAYLOAD_TYPE);
  assert.equal(seal.digest, payloadDigest(payload));
  assert.equal(seal.keyId, evidenceKeyId(publicKey));
  assert.equal(seal.envelope.signatures[0].keyid, seal.keyId);
  assert.ok(
    verify(null, pae(DSSE_PAYLOAD_TYPE, payload), publicKey, Buffer.from(seal.envelope.signatures[0].sig, "base64")),
  );
  assert.deepEqual(canonicalBytes(JSON.parse(payload.toString())), payload, "the payload is canonical JSON");
  assert.ok(evidencePacketSchema.safeParse(second).success, "a sealed packet satisfies the schema");
  assert.equal(payloadDigest(Buffer.from("")), `sha256:${createHash("sha256").digest("hex")}`);
});
