// The public API of the cosign verifier, listed by hand.

export { COSIGN, cosignVerifier } from "./verifier.ts";
export { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, signatureTag } from "./artifact.ts";
export { parseSimpleSigning, SIMPLE_SIGNING_TYPE, simpleSigningPayload, type SimpleSigningClaims } from "./payload.ts";
export { readPublicKey, type VerificationKey } from "./key.ts";
export { signatureArtifact, signPayload, type SignatureArtifact } from "./sign.ts";
