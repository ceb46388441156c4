// Reading an Ed25519 private key from a PEM file of the data directory, for the keys that sign
// tokens (signing.key) and seal evidence (evidence.key): a file that is not a PEM private key, or
// holds another kind of key, is a KeyMaterialError naming the file and what the key is for.
import { createPrivateKey, type KeyObject } from "node:crypto";
import { KeyMaterialError } from "./errors.ts";

/** The Ed25519 private key in `pem`, read from `path`; `use` says what it is for ("token signing"). */
export function parseEd25519PrivateKey(path: string, pem: string, use: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KeyMaterialError(path, "is not a PEM private key");
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new KeyMaterialError(path, `is a ${key.asymmetricKeyType ?? "unknown"} key; ${use} needs Ed25519`);
  return key;
}
