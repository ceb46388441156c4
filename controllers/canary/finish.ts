// The two ways a canary ends. Abort: every route removed and the weight at 0, read back from the
// router, BEFORE the canary units go; a router that cannot do that leaves them running and the
// walker retries. Success: all traffic to the canary, read back; the old stable units go once
// spec.scaleDownDelay has passed (scale-down.ts), so until then a rollback only moves weights.
import type { Canary, CanaryStatus } from "../../crds/canary.ts";
import { RouterError, type Router, type RouteTarget } from "../../sdk/plugins/router.ts";
import { parseDuration } from "../../crds/duration.ts";
import type { CanaryDeps } from "./deps.ts";
import { recordDecision } from "./evidence.ts";
import { setPhase } from "./status.ts";

async function clearRoutes(router: Router, target: RouteTarget, status: CanaryStatus, signal?: AbortSignal) {
  for (const name of status.headerRoutes ?? []) await router.setMatchRoute(target, name, [], signal);
  status.headerRoutes = [];
}

async function weightTo(router: Router, target: RouteTarget, weight: number, signal?: AbortSignal) {
  await router.setWeight(target, weight, signal);
  const seen = (await router.observe(target, signal)).canaryWeight;
  if (seen !== weight) throw new RouterError("RouterRefused", `router reads canary weight ${seen}, not ${weight}`);
  return seen;
}

/** Sends all traffic back to stable, then removes the canary units; phase Aborted with `reason`. */
export async function abortCanary(
  canary: Canary,
  status: CanaryStatus,
  router: Router,
  target: RouteTarget,
  why: { reason: string; message: string; details?: Record<string, unknown> },
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<void> {
  await clearRoutes(router, target, status, signal);
  status.currentWeight = await weightTo(router, target, 0, signal);
  await deps.units.removeCanary(canary, signal);
  setPhase(status, "Aborted", why.reason, why.message, deps.now());
  const step = status.currentStepIndex;
  const packet = await recordDecision(canary, { outcome: "Aborted", ...why, step }, deps);
  status.evidence = [...(status.evidence ?? []), packet];
}

/** The delay when spec.scaleDownDelay is omitted. */
export const DEFAULT_SCALE_DOWN_DELAY = "30s";

/** Sends all traffic to the canary; phase Succeeded, the old units due at status.scaleDownAt. */
export async function completeCanary(
  canary: Canary,
  status: CanaryStatus,
  router: Router,
  target: RouteTarget,
  why: { reason: string; message: string },
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<void> {
  status.currentWeight = await weightTo(router, target, 100, signal);
  await clearRoutes(router, target, status, signal);
  const delay = parseDuration(canary.spec.scaleDownDelay ?? DEFAULT_SCALE_DOWN_DELAY);
  status.scaleDownAt = new Date(deps.now() + delay).toISOString();
  setPhase(status, "Succeeded", why.reason, why.message, deps.now());
  const packet = await recordDecision(canary, { outcome: "Succeeded", ...why }, deps);
  status.evidence = [...(status.evidence ?? []), packet];
}
