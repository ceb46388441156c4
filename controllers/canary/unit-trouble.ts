// A canary whose units cannot serve: while they are only not ready it waits (an abort removes them
// at once); when they are unhealthy or cannot be made, traffic goes back to stable first (if any
// had moved) and the canary units are removed: the phase says why.
import { type Canary, type CanaryStatus } from "../../crds/canary.ts";
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
  if (err.reason === CanaryUnitsReasons.UnitsNotReady && !abort) {
    setPhase(status, "Progressing", err.reason, err.message, now);
    return { status, requeueAfter: UNITS_RETRY_MS };
  }
  const why = abort
    ? { reason: "AbortRequested", message: "aborted by stella canary abort" }
    : { reason: err.reason, message: err.message };
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
