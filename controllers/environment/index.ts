// The public API of the environment controller, listed by hand.

export {
  addEnvironmentController,
  changedIn,
  deploymentView,
  targetView,
  type EnvironmentControllerOptions,
} from "./controller.ts";
export { EnvironmentReconciler, type EnvironmentReconcilerDeps } from "./reconciler.ts";
export { HISTORY_LIMIT, releaseHistory, type ReleaseHistory } from "../../sdk/release-history.ts";
export {
  activeDeployment,
  environmentStatus,
  EnvironmentReasons,
  isRunning,
  isTargetReady,
  phaseOf,
  targetSummaries,
  type TargetSummary,
} from "./status.ts";
export { matchesSelector } from "./selector.ts";
