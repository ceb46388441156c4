// What one reconcile of a deployment works with: the objects it read, the bound drivers, the
// clock, and the shared pieces (health counters, artifact store, apply context). Built once per
// reconcile by the reconciler and handed to the per-target steps.
import type { Deployment, GeneratedArtifact } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import type { ApplyContext, Driver, RenderedArtifact } from "../../sdk/plugins/driver.ts";
import type { Logger } from "../runtime/index.ts";
import type { HealthTracker } from "./health.ts";
import type { PortRange } from "./ports.ts";
import type { EffectiveSettings } from "./settings.ts";

/** The world as one reconcile sees it. */
export interface StepContext {
  deployment: Deployment;
  namespace: string;
  environment: Environment | undefined;
  release: Release;
  /** The environment's release when the deployment started: where a rollback goes. */
  previous: Release | undefined;
  settings: EffectiveSettings;
  target(name: string): Target | undefined;
  driver(target: Target): Promise<Driver>;
  applyContext(target: Target, release: Release): ApplyContext;
  store(target: string, rendered: readonly RenderedArtifact[]): Promise<GeneratedArtifact[]>;
  health: HealthTracker;
  ports: PortRange;
  now: () => number;
  log: Logger;
}
