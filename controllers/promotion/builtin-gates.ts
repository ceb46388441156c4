// The gates the promotion controller brings itself: upstream, soak, signature and approval. The
// freeze, webhook and metric gates are plugins passed in (controllers/gates).
import type { Gate } from "../../sdk/plugins/gate.ts";
import { approvalGate } from "./approval-gate.ts";
import { signatureGate } from "./signature-gate.ts";
import { soakGate } from "./soak-gate.ts";
import { upstreamGate, type EnvironmentDeployments } from "./upstream-gate.ts";

/** The built-in gates, reading upstream environments' Deployments through `deployments`. */
export function promotionGates(deployments: EnvironmentDeployments): Gate[] {
  return [upstreamGate(deployments), soakGate(deployments), signatureGate(), approvalGate(deployments)];
}

/** Gates by type: the built-ins, then `plugins` (a plugin of the same type replaces a built-in). */
export function gatesByType(builtins: readonly Gate[], plugins: readonly Gate[] = []): Map<string, Gate> {
  return new Map([...builtins, ...plugins].map((g) => [g.type, g]));
}
