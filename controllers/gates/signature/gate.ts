// The built-in `signature` gate, planned when the release sets spec.verification: the release's
// Verified condition (kept by the release controller, which re-checks until every digest
// verifies) must be True. A signature that exists but does not verify, or names another digest,
// fails the gate: the release is bad. Anything else (not resolved yet, unsigned so far, a key or
// plugin problem the operator can fix) waits, with the release controller's words.
import { ReleaseConditions } from "../../../crds/release.ts";
import { VerificationReasons } from "../../../sdk/plugins/signature-verifier.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { findCondition } from "../../runtime/index.ts";

/** Verified=False reasons that mean the release's signatures are bad, not merely missing. */
export const BAD_SIGNATURE_REASONS: ReadonlySet<string> = new Set([
  VerificationReasons.SignatureInvalid,
  VerificationReasons.DigestMismatch,
  VerificationReasons.SignatureMalformed,
]);

/** How often a waiting signature gate is asked again besides release events. */
export const SIGNATURE_RETRY_MS = 30_000;

/** The signature gate. */
export const signatureGate: Gate = {
  type: "signature",
  async evaluate(req: GateRequest): Promise<GateResult> {
    const { release } = req;
    const name = release.metadata.name;
    const policy = release.spec.verification;
    if (!policy)
      return {
        verdict: "Passed",
        message: `release ${name} requires no signatures (no spec.verification)`,
        inputs: { verification: null },
      };
    const verified = findCondition(release.status?.conditions, ReleaseConditions.Verified);
    const inputs = {
      verification: { plugin: policy.plugin ?? "cosign", publicKeySecretRef: policy.publicKeySecretRef },
      condition: verified ? { status: verified.status, reason: verified.reason } : null,
      signatures: (release.status?.signatures ?? []).map((s) => ({
        component: s.name,
        digest: s.digest,
        verified: s.verified,
        reason: s.reason,
        keyId: s.keyId,
      })),
    };
    if (verified?.status === "True")
      return {
        verdict: "Passed",
        message: `release ${name}: ${verified.message || "every component digest carries a valid signature"}`,
        inputs,
      };
    if (verified?.status === "False" && BAD_SIGNATURE_REASONS.has(verified.reason ?? "")) {
      return {
        verdict: "Failed",
        message: `release ${name} has an invalid signature (${verified.reason}): ${verified.message}`,
        inputs,
      };
    }
    const why = verified ? `${verified.reason ?? verified.status}: ${verified.message ?? ""}` : "not verified yet";
    return {
      verdict: "Pending",
      message: `waiting for release ${name}'s signatures to verify (${why})`,
      inputs,
      retryAfterMs: SIGNATURE_RETRY_MS,
    };
  },
};
