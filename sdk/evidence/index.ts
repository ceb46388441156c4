// The public API of sdk/evidence, listed by hand: sealing (shared with the apiserver through
// crds/evidence-seal.ts), offline verification of a packet, a chain and a bundle.
export {
  canonicalBytes,
  chainHeadOf,
  evidenceKeyId,
  evidenceStatement,
  pae,
  payloadDigest,
  sealPacket,
  type ChainHead,
  type SealPosition,
} from "../../crds/evidence-seal.ts";
export { verifyPacket, type PacketVerdict } from "./verify-packet.ts";
export { verifyChain, type ChainOptions, type ChainVerdict } from "./verify-chain.ts";
export {
  EVIDENCE_BUNDLE_API_VERSION,
  EVIDENCE_BUNDLE_KIND,
  evidenceBundleSchema,
  makeBundle,
  parseBundle,
  verifyBundle,
  type BundleVerdict,
  type EvidenceBundle,
} from "./bundle.ts";
export { describeProblem, type EvidenceProblem, type LinkProblem, type PacketProblem } from "./problems.ts";
export { keyIdOfPem, parsePublicKey, publicKeyOf } from "./keys.ts";
export { BundleInvalidError, PublicKeyInvalidError } from "./errors.ts";
