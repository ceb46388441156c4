// What the canary walker works through: the router bound to the canary's settings, the units beside
// stable, the metric providers' secrets, evidence, and the clock. The reconciler supplies the real
// ones; tests supply real routers and real backends.
import type { Canary } from "../../crds/canary.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import type { MetricQuery } from "../../sdk/plugins/metric-provider.ts";
import type { Router, RouteTarget } from "../../sdk/plugins/router.ts";

/** The canary's units and the stable ones beside them. */
export interface CanaryUnits {
  /** Starts the canary units (in the free slot) unless they run; resolves with both sides' addresses. */
  ensure(canary: Canary, signal?: AbortSignal): Promise<RouteTarget>;
  /** Removes the canary units (after an abort, once no traffic reaches them). */
  removeCanary(canary: Canary, signal?: AbortSignal): Promise<void>;
  /** Removes the old stable units (after success, once the canary takes all traffic). */
  removeStable(canary: Canary, signal?: AbortSignal): Promise<void>;
}

/** The walker's view of the world. */
export interface CanaryDeps {
  /** The router for `canary.spec.router`; throws RouterError InvalidRouterSettings on bad settings. */
  router(canary: Canary): Router;
  units: CanaryUnits;
  secretValue(namespace: string): MetricQuery["secretValue"];
  /** Creates an EvidencePacket (the server seals it) unless it exists; resolves with its name. */
  recordEvidence(
    namespace: string,
    name: string,
    spec: EvidencePacketSpec,
    labels: Record<string, string>,
  ): Promise<string>;
  now(): number;
}
