// The public API of the deployment controller, listed by hand.

export { addDeploymentController, type DeploymentControllerOptions } from "./controller.ts";
export { DeploymentReconciler } from "./reconciler.ts";
export { DEFAULT_PORT_RANGE, portPlan, unitPorts, type PortRange } from "./ports.ts";
export { lockName } from "./lock.ts";
// Shared with the canary controller, which starts canary units the way a BlueGreen deployment does.
export { unitSet } from "./units.ts";
export { otherSlot } from "./ports.ts";
export { freezeTargets } from "./targets.ts";
export { HealthTracker } from "./health.ts";
export { applyContextFor } from "./apply-context.ts";
