// Public keys as cosign uses them: ECDSA P-256 (cosign's default; P-384 too) and Ed25519, given as
// PEM. A key is named by its fingerprint, never shown.
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";

/** A usable verification key. */
export interface VerificationKey {
  key: KeyObject;
  /** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
  keyId: string;
  /** The digest algorithm of the signature scheme (undefined for Ed25519, which hashes itself). */
  hash?: "sha256" | "sha384";
}

const CURVE_HASH: Record<string, "sha256" | "sha384"> = { prime256v1: "sha256", secp384r1: "sha384" };

/** The key in `pem`, or a reason it cannot be used (never quoting the PEM). */
export function readPublicKey(pem: string): VerificationKey | { problem: string } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return { problem: "is not a PEM public key" };
  }
  const keyId = `sha256:${createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex")}`;
  if (key.asymmetricKeyType === "ed25519") return { key, keyId };
  const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
  if (key.asymmetricKeyType === "ec" && CURVE_HASH[curve]) return { key, keyId, hash: CURVE_HASH[curve] };
  return {
    problem: `is a ${key.asymmetricKeyType}${curve ? ` ${curve}` : ""} key; want ECDSA P-256, P-384 or Ed25519`,
  };
}

/** Whether `signature` over `payload` verifies with the key (ECDSA signatures DER, or raw r||s). */
export function verifySignature(k: VerificationKey, payload: Buffer, signature: Buffer): boolean {
  try {
    if (!k.hash) return verify(null, payload, k.key, signature);
    if (verify(k.hash, payload, { key: k.key, dsaEncoding: "der" }, signature)) return true;
    return verify(k.hash, payload, { key: k.key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false; // malformed signature bytes
  }
}
