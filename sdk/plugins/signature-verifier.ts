// The signature-verifier plugin contract. The release controller calls a verifier once per
// resolved component digest of a Release that requires signatures; the verifier decides, offline,
// whether the digest carries a valid signature by the public key. It reaches the registry only
// through the read-only, already-authenticated RegistryReader it is handed, and never sees the
// registry credentials or the Secret the key came from.

/** A manifest as the registry serves it. */
export interface RegistryManifest {
  digest: string;
  mediaType: string;
  body: Uint8Array;
}

/** Read access to the one repository of the image under verification. */
export interface RegistryReader {
  /** The manifest at a tag or digest of the repository; undefined when the registry has none. */
  manifest(reference: string): Promise<RegistryManifest | undefined>;
  /** A blob of the repository, verified against its digest. */
  blob(digest: string): Promise<Uint8Array>;
}

/** What a verifier is asked. */
export interface VerifyRequest {
  /** The repository the digest lives in, as the release names it, e.g. `127.0.0.1:5000/shop/web`. */
  repository: string;
  /** The manifest (or index) digest to verify, `sha256:<64 hex>`. */
  digest: string;
  /** The public key, PEM (SubjectPublicKeyInfo). */
  publicKeyPem: string;
  registry: RegistryReader;
  signal?: AbortSignal;
}

/** Well-known verdict reasons; a plugin may use others (CamelCase, as condition reasons are). */
export const VerificationReasons = {
  /** A signature by the key covers the digest. */
  Verified: "Verified",
  /** The registry holds no signature for the digest. */
  Unsigned: "Unsigned",
  /** Signatures exist, but none verifies with the key (wrong key, or tampered payload). */
  SignatureInvalid: "SignatureInvalid",
  /** A signature verifies, but its payload names another digest. */
  DigestMismatch: "DigestMismatch",
  /** The public key cannot be read or is of a type the verifier does not support. */
  KeyInvalid: "KeyInvalid",
  /** The signature artifact is malformed. */
  SignatureMalformed: "SignatureMalformed",
} as const;

/** The verdict on one digest. `message` says why, and never carries key material. */
export interface VerifyResult {
  verified: boolean;
  reason: string;
  message: string;
  /** A fingerprint of the key that verified (or was tried), e.g. `sha256:<hex of the SPKI DER>`. */
  keyId?: string;
}

/**
 * A signature verification plugin. `verify` resolves with a verdict (verified or not); it throws
 * only for failures a later retry may fix, such as an unreachable registry.
 */
export interface SignatureVerifier {
  /** The name a Release selects it by (`spec.verification.plugin`), e.g. "cosign". */
  readonly name: string;
  verify(request: VerifyRequest): Promise<VerifyResult>;
}
