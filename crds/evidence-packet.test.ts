import { test } from "node:test";
import assert from "node:assert/strict";
import { DSSE_PAYLOAD_TYPE, evidencePacketKind, IN_TOTO_STATEMENT_TYPE, inTotoStatement } from "./evidence-packet.ts";
import { validateObject } from "./validate.ts";

const hex = "c".repeat(64);
const packet = (spec: Record<string, unknown>) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "EvidencePacket",
  metadata: { name: "ev-1", namespace: "shop" },
  spec: { type: "Approval", subject: { kind: "Promotion", name: "p" }, decision: { outcome: "Approved" }, ...spec },
});
const fieldsOf = (spec: Record<string, unknown>) => {
  const result = validateObject(evidencePacketKind, packet(spec));
  return result.ok ? [] : result.causes.map((c) => c.field);
};

test("a sealed packet carries its chain position, digests and a DSSE envelope", () => {
  const seal = {
    sequence: 3,
    previousDigest: `sha256:${hex}`,
    digest: `sha256:${hex}`,
    keyId: "k1",
    sealedAt: "2024-05-01T12:00:00Z",
    envelope: {
      payloadType: DSSE_PAYLOAD_TYPE,
      payload: Buffer.from("{}").toString("base64"),
      signatures: [{ keyid: "k1", sig: Buffer.from("sig").toString("base64") }],
    },
  };
  assert.deepEqual(fieldsOf({ subjects: [{ name: "127.0.0.1:5000/shop/web", digest: { sha256: hex } }], seal }), []);
  assert.deepEqual(fieldsOf({ seal: { ...seal, envelope: { ...seal.envelope, signatures: [] } } }), [
    "spec.seal.envelope.signatures",
  ]);
  assert.deepEqual(fieldsOf({ subjects: [{ name: "web", digest: { sha256: "abc" } }] }), [
    "spec.subjects[0].digest.sha256",
  ]);
});

test("an evidence type must be one of the decisions", () => {
  assert.deepEqual(fieldsOf({ type: "Opinion" }), ["spec.type"]);
});

test("the in-toto statement schema accepts a Statement v1", () => {
  const statement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: "web", digest: { sha256: hex } }],
    predicateType: "https://stella.io/evidence/v1",
    predicate: {},
  };
  assert.equal(inTotoStatement.safeParse(statement).success, true);
  assert.equal(inTotoStatement.safeParse({ ...statement, _type: "https://in-toto.io/Statement/v0.1" }).success, false);
});
