// The canary controller and its walker: steps, analysis runs, abort and completion through a
// router, over canary units the drivers start beside the stable ones.
export { walk, ROUTER_RETRY_MS, type WalkResult } from "./walk.ts";
export { routeMatches, routeStep } from "./route-step.ts";
export type { CanaryDeps, CanaryUnits } from "./deps.ts";
export { CANARY_ACTOR } from "./evidence.ts";
export { routerFor } from "./router.ts";
export { addCanaryController, type CanaryControllerOptions } from "./controller.ts";
export { CanaryReconciler } from "./reconciler.ts";
export { CanaryUnitsError, CanaryUnitsReasons } from "./errors.ts";
