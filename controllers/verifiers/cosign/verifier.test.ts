import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import type { RegistryManifest, RegistryReader } from "../../../sdk/plugins/signature-verifier.ts";
import { signatureTag } from "./artifact.ts";
import { simpleSigningPayload } from "./payload.ts";
import { signatureArtifact, signPayload } from "./sign.ts";
import { cosignVerifier } from "./verifier.ts";

const REPO = "127.0.0.1:5000/shop/web";
const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER = `sha256:${"b".repeat(64)}`;
const sha256 = (b: Buffer): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** An in-memory repository: manifests by tag, blobs by digest. */
class MemoryRepo implements RegistryReader {
  readonly manifests = new Map<string, RegistryManifest>();
  readonly blobs = new Map<string, Buffer>();
  async manifest(reference: string) {
    return this.manifests.get(reference);
  }
  async blob(digest: string) {
    const b = this.blobs.get(digest);
    if (!b) throw new Error(`no blob ${digest}`);
    return b;
  }
  /** Stores a signature artifact for `digest`. */
  sign(digest: string, payload: Buffer, signature: Buffer): void {
    const a = signatureArtifact(payload, signature);
    this.blobs.set(sha256(a.payload), a.payload);
    this.blobs.set(sha256(a.config), a.config);
    this.manifests.set(signatureTag(digest), { digest: sha256(a.manifest), mediaType: a.mediaType, body: a.manifest });
  }
}

const ec = () => generateKeyPairSync("ec", { namedCurve: "P-256" });
const pem = (k: KeyObject) => k.export({ type: "spki", format: "pem" }).toString();

async function verdict(repo: RegistryReader, publicKey: KeyObject | string, digest = DIGEST) {
  return cosignVerifier.verify({
    repository: REPO,
    digest,
    publicKeyPem: typeof publicKey === "string" ? publicKey : pem(publicKey),
    registry: repo,
  });
}

describe("cosign verifier", () => {
  it("verifies an ECDSA P-256 signature over the payload naming the digest", async () => {
    const { privateKey, publicKey } = ec();
    const repo = new MemoryRepo();
    const payload = simpleSigningPayload(REPO, DIGEST);
    repo.sign(DIGEST, payload, signPayload(privateKey, payload));
    const v = await verdict(repo, publicKey);
    assert.equal(v.verified, true, v.message);
    assert.equal(v.reason, "Verified");
    assert.match(v.keyId ?? "", /^sha256:[0-9a-f]{64}$/);
  });

  it("verifies Ed25519 signatures", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const repo = new MemoryRepo();
    const payload = simpleSigningPayload(REPO, DIGEST);
    repo.sign(DIGEST, payload, signPayload(privateKey, payload));
    assert.equal((await verdict(repo, publicKey)).verified, true);
  });

  it("says Unsigned when there is no signature manifest", async () => {
    const v = await verdict(new MemoryRepo(), ec().publicKey);
    assert.deepEqual([v.verified, v.reason], [false, "Unsigned"]);
    assert.match(v.message, new RegExp(signatureTag(DIGEST).replace(/\./g, "\\.")));
  });

  it("says SignatureInvalid for a signature by another key", async () => {
    const repo = new MemoryRepo();
    const payload = simpleSigningPayload(REPO, DIGEST);
    repo.sign(DIGEST, payload, signPayload(ec().privateKey, payload));
    const v = await verdict(repo, ec().publicKey);
    assert.deepEqual([v.verified, v.reason], [false, "SignatureInvalid"]);
  });

  it("says SignatureInvalid for a payload changed after signing", async () => {
    const { privateKey, publicKey } = ec();
    const repo = new MemoryRepo();
    const payload = simpleSigningPayload(REPO, OTHER);
    const tampered = simpleSigningPayload(REPO, DIGEST);
    repo.sign(DIGEST, tampered, signPayload(privateKey, payload));
    assert.equal((await verdict(repo, publicKey)).reason, "SignatureInvalid");
  });

  it("says DigestMismatch for a valid signature over a payload naming another digest", async () => {
    const { privateKey, publicKey } = ec();
    const repo = new MemoryRepo();
    const payload = simpleSigningPayload(REPO, OTHER);
    repo.sign(DIGEST, payload, signPayload(privateKey, payload));
    const v = await verdict(repo, publicKey);
    assert.deepEqual([v.verified, v.reason], [false, "DigestMismatch"]);
    assert.match(v.message, new RegExp(OTHER));
  });

  it("says KeyInvalid for garbage or an unsupported key type, without quoting the key", async () => {
    const garbage = "-----BEGIN PUBLIC KEY-----\nnot-a-key-9f8e7d\n-----END PUBLIC KEY-----\n";
    const v = await verdict(new MemoryRepo(), garbage);
    assert.equal(v.reason, "KeyInvalid");
    assert.doesNotMatch(v.message, /9f8e7d/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    assert.equal((await verdict(new MemoryRepo(), rsa)).reason, "KeyInvalid");
  });

  it("says SignatureMalformed for a manifest that is not JSON, and Unsigned when it has no signature layer", async () => {
    const repo = new MemoryRepo();
    repo.manifests.set(signatureTag(DIGEST), { digest: DIGEST, mediaType: "x", body: Buffer.from("{nope") });
    assert.equal((await verdict(repo, ec().publicKey)).reason, "SignatureMalformed");
    repo.manifests.set(signatureTag(DIGEST), {
      digest: DIGEST,
      mediaType: "x",
      body: Buffer.from(JSON.stringify({ layers: [{ digest: OTHER }] })),
    });
    assert.equal((await verdict(repo, ec().publicKey)).reason, "Unsigned");
  });

  it("accepts raw r||s ECDSA signatures too", async () => {
    const { privateKey, publicKey } = ec();
    const repo = new MemoryRepo();
    const payload = simpleSigningPayload(REPO, DIGEST);
    repo.sign(DIGEST, payload, sign("sha256", payload, { key: privateKey, dsaEncoding: "ieee-p1363" }));
    assert.equal((await verdict(repo, publicKey)).verified, true);
  });

  it("lets registry failures through, so the caller can retry", async () => {
    const failing: RegistryReader = {
      manifest: () => Promise.reject(new Error("unreachable")),
      blob: () => Promise.reject(new Error("unreachable")),
    };
    await assert.rejects(verdict(failing, ec().publicKey), /unreachable/);
  });
});
