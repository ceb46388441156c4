// The signature gate: the release's Verified condition, per digest.
export { signatureGate } from "./gate.ts";
