// The targets a deployment runs on, frozen when it starts: those its environment's selector
// matches in the namespace, without cordoned ones (spec.unschedulable), in name order so batches
// are predictable.
import type { Environment } from "../../crds/environment.ts";
import type { Target } from "../../crds/target.ts";
import { matchesSelector } from "../environment/index.ts";

/** The schedulable targets `env` selects, sorted by name. */
export function freezeTargets(env: Environment, targets: readonly Target[]): Target[] {
  return targets
    .filter(
      (t) =>
        t.metadata.namespace === env.metadata.namespace &&
        !t.spec.unschedulable &&
        !t.metadata.deletionTimestamp &&
        matchesSelector(t.metadata.labels, env.spec.targetSelector),
    )
    .sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
}
