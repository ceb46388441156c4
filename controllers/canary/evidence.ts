// Evidence for each canary decision: a weight change, a route change, an analysis verdict (with its
// measurements), a promote, an abort and the outcome. The packet name is derived from the canary's
// uid, the step and the decision, so a walker that crashed after recording one finds it again.
import type { Canary } from "../../crds/canary.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import { packetName } from "../evidence/index.ts";
import type { CanaryDeps } from "./deps.ts";

/** The controller's identity in evidence. */
export const CANARY_ACTOR = "system:controller:canary";

/** One decision to record. */
export interface CanaryDecision {
  outcome: string;
  reason: string;
  message: string;
  step?: number;
  details?: Record<string, unknown>;
}

/** Records `decision` for `canary`; resolves with the packet's name. */
export function recordDecision(canary: Canary, decision: CanaryDecision, deps: CanaryDeps): Promise<string> {
  const name = canary.metadata.name ?? "";
  const spec: EvidencePacketSpec = {
    type: "CanaryDecision",
    subject: {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Canary",
      name,
      ...(canary.metadata.uid ? { uid: canary.metadata.uid } : {}),
    },
    release: canary.spec.release,
    environment: canary.spec.environment,
    decision: { outcome: decision.outcome, reason: decision.reason, message: decision.message },
    actor: { username: CANARY_ACTOR },
    decidedAt: new Date(deps.now()).toISOString(),
    details: { component: canary.spec.component, step: decision.step, ...decision.details },
  };
  const packet = packetName(
    "canary",
    name,
    (canary.metadata.uid ?? "").slice(0, 8),
    decision.step ?? "end",
    decision.reason,
  );
  return deps.recordEvidence(canary.metadata.namespace ?? "", packet, spec, { "stella.io/canary": name });
}
