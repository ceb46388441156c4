// The gate plugin contract. A promotion passes its environment's gates before it may deploy: the
// built-in ones (upstream, soak, freeze, signature, approval) and the environment's own (webhook,
// metric, plugin). A gate is asked again and again until it reaches a final verdict; each verdict
// is recorded, with the inputs it was decided on, in the promotion's status and in evidence.
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment, EnvironmentGate } from "../../crds/environment.ts";
import type { GateVerdict, Promotion } from "../../crds/promotion.ts";
import type { Release } from "../../crds/release.ts";

/** What a gate may read to decide. */
export interface GateRequest {
  promotion: Promotion;
  release: Release;
  environment: Environment;
  /** The environment's gate entry this evaluation is for (custom gates); absent for built-ins. */
  config?: EnvironmentGate;
  /** Other environments of the namespace, by name (upstream checks). */
  environments: ReadonlyMap<string, Environment>;
  /** The Deployments into an environment of the promotion's namespace (what ran there, and when). */
  deployments(environment: string): Deployment[];
  /** The Canaries in an environment of the promotion's namespace (a standalone one's success lands its release). */
  canaries?(environment: string): Canary[];
  /** A Secret key's value in the promotion's namespace (webhook signing keys, tokens). */
  secretValue(ref: { name: string; key?: string }): Promise<string>;
  now: Date;
  signal?: AbortSignal;
}

/** A gate's verdict. Pending means "ask again later" (after retryAfterMs, if given). */
export interface GateResult {
  verdict: GateVerdict;
  /** Which value, which rule: words a person acts on ("dev has run shop-1-4-0 for 4m of the required 10m"). */
  message: string;
  /** The values the verdict was decided on; recorded in status and evidence, never secrets. */
  inputs?: Record<string, unknown>;
  retryAfterMs?: number;
}

/** A gate plugin. */
export interface Gate {
  /** upstream, soak, freeze, signature, approval, webhook, metric, or a plugin's name. */
  readonly type: string;
  evaluate(request: GateRequest): Promise<GateResult>;
}
