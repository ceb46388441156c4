// A canary whose units cannot serve: while they are only not ready it waits, up to
// spec.progressDeadline (an abort removes them at once); when they are unhealthy, cannot be made,
// or were not ready in time, traffic goes back to stable first (if any had moved) and the canary
// units are removed: the phase says why.
import { type Canary, type CanaryStatus } from "../../crds/canary.ts";
import { parseDuration } from "../../crds/duration.ts";
import { RouterError } from "../../sdk/plugins/router.ts";
import type { CanaryDeps } from "./deps.ts";
import type { CanaryUnitsError } from "./errors.ts";
import { CanaryUnitsReasons } from "./errors.ts";
import { recordDecision } from "./evidence.ts";
import { abortCanary } from "./finish.ts";
import { setPhase } from "./status.ts";
import { ROUTER_RETRY_MS, type WalkResult } from "./walk.ts";

/** How soon a canary waiting for its units looks again. */
export const UNITS_RETRY_MS = 1000;

/** spec.progressDeadline when omitted (as a Deployment's). */
export const DEFAULT_CANARY_PROGRESS_DEADLINE = "10m";

/** What a pass does about `err` for `canary` (status is the pass's working copy). */
export async function unitTrouble(
  canary: Canary,
  status: CanaryStatus,
  err: CanaryUnitsError,
  deps: CanaryDeps,
): Promise<WalkResult> {
  const now = deps.now();
  status.startedAt ??= new Date(now).toISOString();
  const abort = canary.spec.abort === true;
  let why = abort
    ? { reason: "AbortRequested", message: "aborted by stella canary abort" }
    : { reason: err.reason as string, message: err.message };
  if (err.reason === CanaryUnitsReasons.UnitsNotReady && !abort) {
    status.unitsWaitingSince ??= new Date(now).toISOString();
    const allowed = canary.spec.progressDeadline ?? DEFAULT_CANARY_PROGRESS_DEADLINE;
    const left = Date.parse(status.unitsWaitingSince) + parseDuration(allowed) - now;
    if (left > 0) {
      setPhase(status, "Progressing", err.reason, err.message, now);
      return { status, requeueAfter: Math.min(UNITS_RETRY_MS, left) };
    }
    why = { reason: "ProgressDeadlineExceeded", message: `units not ready within ${allowed}: ${err.message}` };
  }
  const routed = (status.currentWeight ?? 0) > 0 || (status.headerRoutes ?? []).length > 0;
  if (!routed) {
    await deps.units.removeCanary(canary);
    const phase = abort ? "Aborted" : "Failed";
    setPhase(status, phase, why.reason, `${why.message}; no traffic had reached the canary`, now);
    const packet = await recordDecision(canary, { outcome: phase, ...why, step: status.currentStepIndex }, deps);
    status.evidence = [...(status.evidence ?? []), packet];
    return { status };
  }
  // Traffic moved: the router sends it back (to the stable server's address as it stands) first.
  const router = deps.router(canary);
  const target = { namespace: canary.metadata.namespace ?? "", ...canary.spec, stable: [], canary: [] };
  try {
    await abortCanary(canary, status, router, target, why, deps);
    return { status };
  } catch (e) {
    if (!(e instanceof RouterError)) throw e;
    setPhase(status, "Paused", e.reason, `router ${canary.spec.router.plugin}: ${e.message}`, now);
    return { status, requeueAfter: ROUTER_RETRY_MS };
  } finally {
    await router.close();
  }
}
