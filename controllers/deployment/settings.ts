// The settings a deployment runs with: its own spec first, then its environment's defaults, then
// Stella's. They are frozen into status.strategy when the deployment starts.
import type { Deployment } from "../../crds/deployment.ts";
import type { DeploymentStrategy } from "../../crds/deployment-strategy.ts";
import { durationMillis } from "../../crds/duration.ts";
import type { Environment } from "../../crds/environment.ts";

/** The progress deadline when neither the deployment nor its environment gives one. */
export const DEFAULT_PROGRESS_DEADLINE = "10m";

/** Effective settings of a deployment. */
export interface EffectiveSettings {
  strategy: DeploymentStrategy;
  progressDeadlineMs: number;
  autoRollback: boolean;
}

/** The strategy, deadline and rollback switch `deployment` runs with in `environment`. */
export function effectiveSettings(deployment: Deployment, environment: Environment | undefined): EffectiveSettings {
  const defaults = environment?.spec.deployment;
  const strategy = deployment.status?.strategy ??
    deployment.spec.strategy ??
    defaults?.strategy ?? { type: "AllAtOnce" };
  const deadline = deployment.spec.progressDeadline ?? defaults?.progressDeadline ?? DEFAULT_PROGRESS_DEADLINE;
  return {
    strategy,
    progressDeadlineMs: durationMillis(deadline) ?? 600_000,
    autoRollback: deployment.spec.autoRollback ?? defaults?.autoRollback ?? true,
  };
}

/** Milliseconds of a duration field, 0 when absent. */
export const millis = (text: string | undefined): number => (text ? (durationMillis(text) ?? 0) : 0);
