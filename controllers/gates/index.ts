// The gates built into Stella, one package each, all behind sdk/plugins/gate.ts. The promotion
// controller plans which of them a promotion needs (promotion/gates.ts) and asks each until it
// gives a final verdict:
//   - Pending with retryAfterMs: ask again then (a freeze window, a metric analysis in progress).
//   - Error with retryAfterMs: transient trouble (a webhook's 5xx or timeout); ask again then.
//   - Error without retryAfterMs: the gate gave up (invalid freeze window or condition, a metric
//     provider erroring more than consecutiveErrorLimit times); a person must act.
//   - Passed / Failed / Skipped: final. Each result's inputs are recorded in promotion.status.gates
//     under the gate's name: the metric gate reads its analysis back from there.
// A new gate is a folder here with an index.ts exporting a Gate, listed in builtinGates, passing
// sdk/testing/gate-conformance.ts.
import type { Gate } from "../../sdk/plugins/gate.ts";
import { approvalGate } from "./approval/index.ts";
import { freezeGate } from "./freeze/index.ts";
import { metricGate } from "./metric/index.ts";
import { signatureGate } from "./signature/index.ts";
import { soakGate } from "./soak/index.ts";
import { upstreamGate } from "./upstream/index.ts";
import { webhookGate } from "./webhook/index.ts";

/** Every built-in gate: upstream, soak, freeze, signature, webhook, metric and approval. */
export const builtinGates: readonly Gate[] = [
  upstreamGate,
  soakGate,
  freezeGate,
  signatureGate,
  webhookGate,
  metricGate,
  approvalGate,
];

/** Gates by type; of two with one type, the later in `gates` wins (a plugin replacing a built-in). */
export function gatesByType(gates: readonly Gate[]): Map<string, Gate> {
  return new Map(gates.map((g) => [g.type, g]));
}

export { approvalGate, countApprovals, rejectionMessage, type ApprovalCount } from "./approval/index.ts";
export {
  environmentCreated,
  freezeGate,
  InvalidFreezeWindow,
  openFreezeWindow,
  type FreezeCheck,
} from "./freeze/index.ts";
export { metricGate, previousAnalysis } from "./metric/index.ts";
export { signatureGate } from "./signature/index.ts";
export { soakGate } from "./soak/index.ts";
export { upstreamGate } from "./upstream/index.ts";
export { webhookGate, webhookGatePayload, type WebhookGatePayload } from "./webhook/index.ts";
