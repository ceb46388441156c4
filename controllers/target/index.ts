// The public API of the target controller, listed by hand.

export {
  addTargetController,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  type TargetController,
  type TargetControllerOptions,
} from "./controller.ts";
export { TargetReconciler, type TargetReconcilerDeps } from "./reconciler.ts";
export { probeTarget, PROBE_FAILED, type DriverSource, type ProbeOutcome } from "./probe.ts";
export { needsWrite, nextProbeIn, platformMessage, REACHABLE, targetStatus, unitSummary } from "./status.ts";
