// The public API of the deployment controller, listed by hand.

export { addDeploymentController, type DeploymentControllerOptions } from "./controller.ts";
export { DeploymentReconciler } from "./reconciler.ts";
export { DEFAULT_PORT_RANGE, unitPorts, type PortRange } from "./ports.ts";
export { lockName } from "./lock.ts";
