import { test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evidenceKeyId } from "../../crds/evidence-seal.ts";
import { KeyMaterialError } from "../auth/errors.ts";
import { EVIDENCE_KEY_FILES, ensureEvidenceKey } from "./signing-key.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "stella-evidence-key-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("the first start creates evidence.key (PKCS8, 0600) and evidence.pub; later starts load the same key", () =>
  withDir(async (dir) => {
    const first = await ensureEvidenceKey(dir);
    const keyPath = join(dir, EVIDENCE_KEY_FILES.privateKey);
    assert.equal((await stat(keyPath)).mode & 0o777, 0o600);
    assert.match(await readFile(keyPath, "utf8"), /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(await readFile(join(dir, EVIDENCE_KEY_FILES.publicKey), "utf8"), first.publicKeyPem);
    assert.equal(first.keyId, evidenceKeyId(createPublicKey(first.publicKeyPem)));
    const again = await ensureEvidenceKey(dir);
    assert.equal(again.keyId, first.keyId);
    assert.equal(
      again.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      createPrivateKey(await readFile(keyPath, "utf8"))
        .export({ type: "pkcs8", format: "pem" })
        .toString(),
    );
  }));

test("concurrent first starts on one data directory agree on one key", () =>
  withDir(async (dir) => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => ensureEvidenceKey(dir)));
    assert.equal(new Set(keys.map((k) => k.keyId)).size, 1);
  }));

test("a lost private key next to its public key, or a key of another type, is refused rather than replaced", () =>
  withDir(async (dir) => {
    await ensureEvidenceKey(dir);
    await rm(join(dir, EVIDENCE_KEY_FILES.privateKey));
    await assert.rejects(
      ensureEvidenceKey(dir),
      (e: unknown) => e instanceof KeyMaterialError && e.problem.includes("evidence.pub exists"),
    );
    await writeFile(join(dir, EVIDENCE_KEY_FILES.privateKey), "garbage");
    await assert.rejects(ensureEvidenceKey(dir), KeyMaterialError);
  }));
