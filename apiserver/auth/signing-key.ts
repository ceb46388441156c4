// The Ed25519 key that signs bearer tokens, kept in the data directory. The private key is the
// source of truth; the public key beside it is for offline consumers and is rewritten to match.

import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import { PRIVATE_MODE, PUBLIC_MODE, readDataFile, writeDataFile } from "./data-dir.ts";
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
    privateKey = parsePrivateKey(keyPath, keyPem);
  }
  const publicKey = createPublicKey(privateKey);
  const wantedPub = publicKey.export({ type: "spki", format: "pem" }).toString();
  if (pubPem !== wantedPub) await writeDataFile(pubPath, wantedPub, PUBLIC_MODE);
  return { privateKey, publicKey };
}

function parsePrivateKey(path: string, pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KeyMaterialError(path, "is not a PEM private key");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new KeyMaterialError(path, `is a ${key.asymmetricKeyType ?? "unknown"} key; token signing needs Ed25519`);
  }
  return key;
}
