// The Ed25519 key that seals evidence, kept in the data directory (evidence.key, PKCS8 PEM, 0600)
// with its public half beside it (evidence.pub). Created on first start and never replaced: a new
// key would leave every packet sealed so far verifiable only with a key nobody serves any more.
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { chmod, link, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { evidenceKeyId } from "../../crds/evidence-seal.ts";
import { PRIVATE_MODE, PUBLIC_MODE, readDataFile, writeDataFile } from "../auth/data-dir.ts";
import { parseEd25519PrivateKey } from "../auth/ed25519-key.ts";
import { KeyMaterialError } from "../auth/errors.ts";

/** File names of the evidence key inside the data directory. */
export const EVIDENCE_KEY_FILES = { privateKey: "evidence.key", publicKey: "evidence.pub" } as const;

/** The evidence signing key and how it is named. */
export interface EvidenceKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as SPKI PEM, as served at /evidence/public-key. */
  publicKeyPem: string;
  /** sha256 of the public key's SPKI DER, hex. */
  keyId: string;
}

/**
 * Creates `path` holding `data` with `mode` unless it exists, atomically: written beside it, then
 * hard-linked into place, which fails if another process got there first. Returns the file's text.
 */
async function createExclusive(path: string, data: string, mode: number): Promise<string> {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, data, { mode, flag: "wx" });
    await chmod(tmp, mode);
    await link(tmp, path);
    return data;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return (await readDataFile(path))!;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Loads the evidence key from `dataDir`, creating it on first start (concurrent first starts agree
 * on one key). A public key without its private key is a KeyMaterialError rather than a new key.
 */
export async function ensureEvidenceKey(dataDir: string): Promise<EvidenceKey> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, EVIDENCE_KEY_FILES.privateKey);
  const pubPath = join(dataDir, EVIDENCE_KEY_FILES.publicKey);
  let keyPem = await readDataFile(keyPath);
  if (keyPem === undefined) {
    if ((await readDataFile(pubPath)) !== undefined)
      throw new KeyMaterialError(
        keyPath,
        `missing while ${EVIDENCE_KEY_FILES.publicKey} exists; restore it (a new key could not verify the evidence sealed so far)`,
      );
    const fresh = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    keyPem = await createExclusive(keyPath, fresh, PRIVATE_MODE);
  }
  const privateKey = parseEd25519PrivateKey(keyPath, keyPem, "evidence sealing");
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  if ((await readDataFile(pubPath)) !== publicKeyPem) await writeDataFile(pubPath, publicKeyPem, PUBLIC_MODE);
  return { privateKey, publicKey, publicKeyPem, keyId: evidenceKeyId(publicKey) };
}
