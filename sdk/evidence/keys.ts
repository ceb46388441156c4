// Public keys for verification: parsed from PEM, Ed25519 only, named by their key id.
import { createPublicKey, type KeyObject } from "node:crypto";
import { evidenceKeyId } from "../../crds/evidence-seal.ts";
import { PublicKeyInvalidError } from "./errors.ts";

/** Parses an Ed25519 public key from PEM; throws PublicKeyInvalidError naming `source` otherwise. */
export function parsePublicKey(pem: string, source = "public key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new PublicKeyInvalidError(source, "is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new PublicKeyInvalidError(
      source,
      `is a ${key.asymmetricKeyType ?? "unknown"} key; evidence is signed with Ed25519`,
    );
  return key;
}

/** A key given as PEM text or as a KeyObject, as a public KeyObject. */
export function publicKeyOf(key: string | KeyObject): KeyObject {
  if (typeof key === "string") return parsePublicKey(key);
  return key.type === "public" ? key : createPublicKey(key);
}

/** The key id of a PEM public key (sha256 of its SPKI DER, hex). */
export function keyIdOfPem(pem: string): string {
  return evidenceKeyId(parsePublicKey(pem));
}
