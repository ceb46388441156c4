// The canary controller's walker: steps, analysis runs, abort and completion through a router.
export { walk, routeMatches, ROUTER_RETRY_MS, type WalkResult } from "./walk.ts";
export type { CanaryDeps, CanaryUnits } from "./deps.ts";
export { CANARY_ACTOR } from "./evidence.ts";
export { routerFor } from "./router.ts";
