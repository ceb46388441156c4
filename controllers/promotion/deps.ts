// What the promotion reconciler reads and writes through: informer caches for objects, the
// gate and notifier plugins by type, the Deployment and evidence writes, and the status store.
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import type { Gate, GateRequest } from "../../sdk/plugins/gate.ts";
import type { Notifier } from "../../sdk/plugins/notifier.ts";
import type { Logger } from "../runtime/index.ts";

/** Limits of the workflow; every field has a default in controller.ts. */
export interface PromotionLimits {
  /** Evaluations a gate may answer Error in a row before the promotion is Errored. */
  gateErrorLimit: number;
  /** When to ask a Pending gate again if it names no time. */
  pendingRetryMs: number;
  /** How long the verify step waits for the environment to show the deployment. */
  verifyTimeoutMs: number;
  /** Attempts of one notification before its step Fails. */
  notifyAttempts: number;
  /** How long one gate evaluation or notification may take. */
  pluginTimeoutMs: number;
}

/** The reconciler's view of the world. */
export interface PromotionDeps {
  promotion(namespace: string, name: string): Promotion | undefined;
  promotions(namespace: string): Promotion[];
  environment(namespace: string, name: string): Environment | undefined;
  environments(namespace: string): Environment[];
  release(namespace: string, name: string): Release | undefined;
  deployment(namespace: string, name: string): Deployment | undefined;
  /** The Deployments of one environment. */
  deployments(namespace: string, environment: string): Deployment[];
  /** The Canaries of one environment (a standalone one's success lands its release); none when absent. */
  canaries?(namespace: string, environment: string): Canary[];
  target(namespace: string, name: string): Target | undefined;
  /** Gate plugins by type (built-ins included). */
  gates: ReadonlyMap<string, Gate>;
  /** Notifier plugins by type (webhook, or a plugin's name). */
  notifiers: ReadonlyMap<string, Notifier>;
  secretValue(namespace: string): GateRequest["secretValue"];
  /** Creates a Deployment; ApiError AlreadyExists when the name is taken. */
  createDeployment(d: Deployment): Promise<Deployment>;
  /** The Deployment as the apiserver has it now; undefined when absent. */
  readDeployment(namespace: string, name: string): Promise<Deployment | undefined>;
  /** Sets spec.abort on a Deployment. */
  abortDeployment(namespace: string, name: string): Promise<void>;
  /** Creates an EvidencePacket unless it exists; resolves with its name. */
  recordEvidence(
    namespace: string,
    name: string,
    spec: EvidencePacketSpec,
    labels: Record<string, string>,
  ): Promise<string>;
  /** Status reads and resourceVersion-checked writes. */
  store: {
    latest(namespace: string, name: string): Promotion | undefined;
    fresh(namespace: string, name: string): Promise<Promotion | undefined>;
    write(base: Promotion, status: PromotionStatus): Promise<Promotion>;
  };
  limits: PromotionLimits;
  now: () => number;
  log: Logger;
}
