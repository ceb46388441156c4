// The Canary a deployment with the Canary strategy creates: named after the deployment, in its
// namespace, controlled by it (ownerReference) and labelled with it, its spec the deployment's
// release and environment, the environment's current release as stable, and the strategy's plan.
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import type { CanaryStrategy } from "../../crds/deployment-strategy.ts";
import { UnitLabels } from "../../sdk/plugins/driver.ts";
import { nameOf } from "./units.ts";

/** The Canary deployment `d` runs: `plan` from `stable` to d.spec.release. */
export function canaryFor(d: Deployment, plan: CanaryStrategy, stable: string): Canary {
  const name = nameOf(d);
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: { [UnitLabels.deployment]: name },
      ownerReferences: [
        {
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Deployment",
          name,
          uid: d.metadata.uid ?? "",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      release: d.spec.release,
      environment: d.spec.environment,
      stableRelease: stable,
      // The deployment's own deadline bounds its canary's wait for units, unless the plan says otherwise.
      ...(d.spec.progressDeadline ? { progressDeadline: d.spec.progressDeadline } : {}),
      ...plan,
    },
  };
}

/** Whether canary `c` is controlled by deployment `d` (a Canary of that name made by hand is not). */
export const isCanaryOf = (c: Canary, d: Deployment): boolean =>
  (c.metadata.ownerReferences ?? []).some(
    (r) => r.kind === "Deployment" && r.controller === true && r.uid === d.metadata.uid,
  );
