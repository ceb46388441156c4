// The Ed25519 key that signs bearer tokens, kept in the data directory. The private key is the
// source of truth; the public key beside it is for offline consumers and is rewritten to match.

import { createPublicKey, generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import { PRIVATE_MODE, PUBLIC_MODE, readDataFile, writeDataFile } from "./data-dir.ts";
import { parseEd25519PrivateKey } from "./ed25519-key.ts";
import { KeyMaterialError } from "./errors.ts";

/** File names of the token signing key inside the data directory. */
export const SIGNING_KEY_FILES = { privateKey: "signing.key", publicKey: "signing.pub" } as const;

/** The token signing key pair. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Loads the signing key from `dataDir`, creating it on first start. A public key without its private
 * key, or a private key that is not Ed25519, is a KeyMaterialError: silently making a new key would
 * invalidate every token already issued.
 */
export async function ensureSigningKey(dataDir: string): Promise<SigningKey> {
  const keyPath = join(dataDir, SIGNING_KEY_FILES.privateKey);
  const pubPath = join(dataDir, SIGNING_KEY_FILES.publicKey);
  const [keyPem, pubPem] = [await readDataFile(keyPath), await readDataFile(pubPath)];
  let privateKey: KeyObject;
  if (keyPem === undefined) {
    if (pubPem !== undefined) {
      throw new KeyMaterialError(
        keyPath,
        `missing while ${SIGNING_KEY_FILES.publicKey} exists; restore it, or remove ${SIGNING_KEY_FILES.publicKey} to create a new key (every issued token then becomes invalid)`,
      );
    }
    privateKey = generateKeyPairSync("ed25519").privateKey;
    await writeDataFile(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), PRIVATE_MODE);
  } else {
    privateKey = parseEd25519PrivateKey(keyPath, keyPem, "token signing");
  }
  const publicKey = createPublicKey(privateKey);
  const wantedPub = publicKey.export({ type: "spki", format: "pem" }).toString();
  if (pubPem !== wantedPub) await writeDataFile(pubPath, wantedPub, PUBLIC_MODE);
  return { privateKey, publicKey };
}
