import { test } from "node:test";
import assert from "node:assert/strict";
import { sealPacket } from "../../crds/evidence-seal.ts";
import { PublicKeyInvalidError } from "./errors.ts";
import { parsePublicKey } from "./keys.ts";
import { copy, approvalPacket, sealedChain, testKey } from "./test-packets.ts";
import { verifyPacket } from "./verify-packet.ts";

const key = testKey();
const other = testKey();
const [sealed] = sealedChain(1, key.privateKey);

test("a sealed packet verifies with its public key and reports its position and decision", () => {
  const v = verifyPacket(sealed, key.publicKeyPem);
  assert.deepEqual(v.problems, []);
  assert.equal(v.ok, true);
  assert.deepEqual(
    [v.name, v.namespace, v.sequence, v.type, v.outcome, v.digest],
    ["p0", "shop", 0, "Approval", "Approved", sealed.spec.seal!.digest],
  );
  assert.equal(
    verifyPacket(JSON.parse(JSON.stringify(sealed)), key.publicKey).ok,
    true,
    "a JSON round trip changes nothing",
  );
});

test("labels and annotations are not signed: changing them keeps the packet valid", () => {
  const p = copy(sealed);
  p.metadata.labels = { other: "x" };
  p.metadata.annotations = {};
  assert.equal(verifyPacket(p, key.publicKeyPem).ok, true);
});

test("a flipped payload byte breaks the signature and the digest", () => {
  const p = copy(sealed);
  const bytes = Buffer.from(p.spec.seal!.envelope.payload, "base64");
  const at = bytes.indexOf("Approved");
  bytes[at] = "X".charCodeAt(0);
  p.spec.seal!.envelope.payload = bytes.toString("base64");
  const v = verifyPacket(p, key.publicKeyPem);
  assert.equal(v.ok, false);
  assert.deepEqual(
    v.problems.slice(0, 2).map((x) => x.kind),
    ["SignatureInvalid", "DigestMismatch"],
  );
  assert.deepEqual(
    v.problems[2],
    { kind: "FieldMismatch", field: "spec.decision.outcome", signed: "Xpproved", stored: "Approved" },
    "and says where the payload now differs",
  );
  assert.equal(v.problems.length, 3);
});

test("a spec field changed after sealing is named exactly, with both values", () => {
  const p = copy(sealed);
  p.spec.decision.outcome = "Rejected";
  assert.deepEqual(verifyPacket(p, key.publicKeyPem).problems, [
    { kind: "FieldMismatch", field: "spec.decision.outcome", signed: "Approved", stored: "Rejected" },
  ]);
  const q = copy(sealed);
  q.spec.subjects![1].digest.sha256 = "e".repeat(64);
  delete q.spec.gates;
  assert.deepEqual(
    verifyPacket(q, key.publicKeyPem).problems.map((x) => x.kind === "FieldMismatch" && x.field),
    ["spec.subjects[1].digest.sha256", "spec.gates"],
  );
});

test("seal and metadata fields are checked against the signed position", () => {
  const p = copy(sealed);
  p.metadata.name = "renamed";
  p.spec.seal!.sequence = 7;
  p.metadata.namespace = "elsewhere";
  const fields = verifyPacket(p, key.publicKeyPem).problems.map((x) => x.kind === "FieldMismatch" && x.field);
  assert.deepEqual(fields, ["metadata.name", "metadata.namespace", "spec.seal.sequence"]);
});

test("a packet re-sealed with another key, or verified with the wrong key, is WrongKey", () => {
  const forged = sealPacket(approvalPacket("p0"), undefined, other.privateKey, new Date());
  const v = verifyPacket(forged, key.publicKeyPem);
  assert.deepEqual(v.problems, [
    { kind: "WrongKey", signedBy: [forged.spec.seal!.keyId], expected: sealed.spec.seal!.keyId },
  ]);
  assert.equal(verifyPacket(sealed, other.publicKeyPem).problems[0].kind, "WrongKey");
});

test("a signature replaced while keeping our key id is SignatureInvalid; an edited keyId or digest is named", () => {
  const forged = sealPacket(approvalPacket("p0"), undefined, other.privateKey, new Date());
  const p = copy(sealed);
  p.spec.seal!.envelope.signatures = [
    { keyid: sealed.spec.seal!.keyId, sig: forged.spec.seal!.envelope.signatures[0].sig },
  ];
  assert.deepEqual(
    verifyPacket(p, key.publicKeyPem).problems.map((x) => x.kind),
    ["SignatureInvalid"],
  );
  const q = copy(sealed);
  q.spec.seal!.keyId = "0".repeat(64);
  q.spec.seal!.digest = `sha256:${"0".repeat(64)}`;
  assert.deepEqual(verifyPacket(q, key.publicKeyPem).problems, [
    { kind: "FieldMismatch", field: "spec.seal.keyId", signed: sealed.spec.seal!.keyId, stored: "0".repeat(64) },
    { kind: "DigestMismatch", recorded: `sha256:${"0".repeat(64)}`, actual: sealed.spec.seal!.digest },
  ]);
});

test("an unsealed packet and a malformed envelope are reported, not thrown", () => {
  assert.deepEqual(verifyPacket(approvalPacket("raw"), key.publicKeyPem).problems, [{ kind: "Unsealed" }]);
  const p = copy(sealed);
  p.spec.seal!.envelope.payloadType = "text/plain";
  assert.ok(
    verifyPacket(p, key.publicKeyPem).problems.some(
      (x) => x.kind === "PayloadMalformed" && x.detail.includes("payloadType"),
    ),
  );
});

test("a key that is not an Ed25519 public key PEM is a PublicKeyInvalidError", () => {
  assert.throws(
    () => parsePublicKey("nope", "pub.pem"),
    (e: unknown) => e instanceof PublicKeyInvalidError && e.source === "pub.pem",
  );
  assert.throws(
    () => verifyPacket(sealed, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
    PublicKeyInvalidError,
  );
});
