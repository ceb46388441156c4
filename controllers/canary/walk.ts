// The canary walker: one pass over a Canary, from the step status names as far as it can go
// without waiting, then it says when to look again. Steps are setWeight, setHeaderRoute, pause (a
// duration, or until `stella canary promote` releases it through spec.promotedStep), analysis
// (inline, blocking) and setCookieRoute; background analysis (background.ts) runs beside them.
// A failed analysis or spec.abort aborts (traffic back to stable first); the last step done, or
// spec.promoteFull, completes. A router that cannot be reached or refuses pauses the canary with
// its reason and is retried; a weight only enters status once the router has read it back, so a
// restarted walker resumes at the same step without moving weights back.
import { type Canary, type CanaryStatus, CANARY_TERMINAL_PHASES } from "../../crds/canary.ts";
import { parseDuration } from "../../crds/duration.ts";
import { RouterError, type Router, type RouteTarget } from "../../sdk/plugins/router.ts";
import { advanceRun, type AnalysisRun } from "./analysis-run.ts";
import { backgroundAnalysis } from "./background.ts";
import type { CanaryDeps } from "./deps.ts";
import { recordDecision } from "./evidence.ts";
import { routeStep } from "./route-step.ts";
import { abortCanary, completeCanary } from "./finish.ts";
import { scaleDownWhenDue } from "./scale-down.ts";
import { nextStep, setPhase } from "./status.ts";

/** How soon a paused canary retries its router. */
export const ROUTER_RETRY_MS = 5000;

/** What one pass leaves: the status to write, and when to look again. */
export interface WalkResult {
  status: CanaryStatus;
  requeueAfter?: number;
}

/** One pass of the walker over `canary`. */
export async function walk(canary: Canary, deps: CanaryDeps, signal?: AbortSignal): Promise<WalkResult> {
  const status: CanaryStatus = structuredClone(canary.status ?? {});
  if (status.phase && CANARY_TERMINAL_PHASES.includes(status.phase))
    return { status, requeueAfter: await scaleDownWhenDue(canary, status, deps, signal) };
  status.observedGeneration = canary.metadata.generation;
  status.startedAt ??= new Date(deps.now()).toISOString();
  status.currentStepIndex ??= 0;
  let router: Router | undefined;
  try {
    router = deps.router(canary);
    const target = await deps.units.ensure(canary, signal);
    if (canary.spec.abort)
      return await aborted(canary, status, router, target, "AbortRequested", "aborted by stella canary abort", deps);
    const background = await backgroundAnalysis(canary, status, router, target, deps, signal);
    if (background.stop) return background.stop;
    const result = await walkSteps(canary, status, router, target, deps, signal);
    return withNext(result, background.nextAt, deps.now());
  } catch (err) {
    if (!(err instanceof RouterError)) throw err;
    setPhase(status, "Paused", err.reason, `router ${canary.spec.router.plugin}: ${err.message}`, deps.now());
    return { status, requeueAfter: ROUTER_RETRY_MS };
  } finally {
    await router?.close();
  }
}

/** `result`, looking again by `nextAt` (the background analysis' next measurement) unless it ended. */
function withNext(result: WalkResult, nextAt: number | undefined, now: number): WalkResult {
  const ended = result.status.phase && CANARY_TERMINAL_PHASES.includes(result.status.phase);
  if (nextAt === undefined || ended) return result;
  return { ...result, requeueAfter: Math.max(0, Math.min(result.requeueAfter ?? Infinity, nextAt - now)) };
}

async function aborted(
  canary: Canary,
  status: CanaryStatus,
  router: Router,
  target: RouteTarget,
  reason: string,
  message: string,
  deps: CanaryDeps,
  details?: Record<string, unknown>,
): Promise<WalkResult> {
  await abortCanary(canary, status, router, target, { reason, message, details }, deps);
  return { status };
}

async function record(canary: Canary, status: CanaryStatus, deps: CanaryDeps, d: Parameters<typeof recordDecision>[1]) {
  status.evidence = [...(status.evidence ?? []), await recordDecision(canary, d, deps)];
}

async function walkSteps(
  canary: Canary,
  status: CanaryStatus,
  router: Router,
  target: RouteTarget,
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<WalkResult> {
  const steps = canary.spec.steps;
  if (status.currentWeight === undefined) await begin(canary, status, router, target, deps, signal);
  for (;;) {
    const i = status.currentStepIndex ?? 0;
    if (canary.spec.promoteFull || i >= steps.length) {
      const message = canary.spec.promoteFull ? "promoted in full by stella canary promote --full" : "every step done";
      await completeCanary(canary, status, router, target, { reason: "Promoted", message }, deps, signal);
      return { status, requeueAfter: await scaleDownWhenDue(canary, status, deps, signal) };
    }
    const step = steps[i];
    const released = (canary.spec.promotedStep ?? -1) >= i;
    const route = routeStep(step);
    if (step.setWeight !== undefined) {
      await router.setWeight(target, step.setWeight, signal);
      status.currentWeight = (await router.observe(target, signal)).canaryWeight;
      const message = `canary weight ${status.currentWeight}% (read back from the router)`;
      await record(canary, status, deps, { outcome: "WeightSet", reason: "SetWeight", message, step: i });
    } else if (route) {
      await router.setMatchRoute(target, route.name, route.matches, signal);
      const others = (status.headerRoutes ?? []).filter((n) => n !== route.name);
      status.headerRoutes = route.matches.length > 0 ? [...others, route.name] : others;
      const message = `route ${route.name}: ${JSON.stringify(route.matches)}`;
      await record(canary, status, deps, { outcome: "RouteSet", reason: route.reason, message, step: i });
    } else if (step.pause && !released) {
      status.pauseStartTime ??= new Date(deps.now()).toISOString();
      if (!step.pause.duration) {
        setPhase(status, "Paused", "PausedForPromote", `step ${i}: paused until stella canary promote`, deps.now());
        return { status };
      }
      const left = Date.parse(status.pauseStartTime) + parseDuration(step.pause.duration) - deps.now();
      if (left > 0) {
        setPhase(status, "Progressing", "Pausing", `step ${i}: pausing for ${step.pause.duration}`, deps.now());
        return { status, requeueAfter: left };
      }
    } else if (step.pause) {
      const message = `step ${i}: pause released by stella canary promote`;
      await record(canary, status, deps, { outcome: "Promoted", reason: "PauseReleased", message, step: i });
    } else if (step.analysis) {
      const result = await analysisStep(canary, status, i, step.analysis.metrics, router, target, deps, signal);
      if (result) return result;
    }
    nextStep(status);
    setPhase(status, "Progressing", "StepDone", `step ${i} done`, deps.now());
  }
}

/**
 * The first pass: a router still sending traffic to its canary server (the last canary's release,
 * now stable) is set to 0 with both servers pointed at the stable units, so no request reaches the
 * new canary units before a setWeight step sends it there.
 */
async function begin(
  canary: Canary,
  status: CanaryStatus,
  router: Router,
  target: RouteTarget,
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<void> {
  if ((await router.observe(target, signal)).canaryWeight === 0) {
    status.currentWeight = 0;
    return;
  }
  await router.setWeight({ ...target, canary: target.stable }, 0, signal);
  status.currentWeight = (await router.observe(target, signal)).canaryWeight;
  const message = `canary weight ${status.currentWeight}% before the first step (read back from the router)`;
  await record(canary, status, deps, { outcome: "WeightSet", reason: "WeightReset", message, step: 0 });
}

/** Runs the analysis of step `i`; undefined when it passed (the walk goes on). */
async function analysisStep(
  canary: Canary,
  status: CanaryStatus,
  i: number,
  metrics: readonly string[],
  router: Router,
  target: RouteTarget,
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<WalkResult | undefined> {
  const runs = status.analysisRuns ?? [];
  const run: AnalysisRun = runs.find((r) => r.step === i) ?? {
    step: i,
    phase: "Running",
    startedAt: new Date(deps.now()).toISOString(),
  };
  const out = await advanceRun(canary, run, metrics, deps, signal);
  status.analysisRuns = [...runs.filter((r) => r.step !== i), out.run];
  if (out.phase === "Running") {
    setPhase(status, "Progressing", "Analysing", `step ${i}: ${out.reason}`, deps.now());
    return { status, requeueAfter: Math.max(0, (out.nextAt ?? deps.now()) - deps.now()) };
  }
  const details = { analysisRun: out.run };
  const message = `step ${i} analysis ${out.phase}: ${out.reason}`;
  if (!runs.some((r) => r.step === i && r.phase === out.phase))
    await record(canary, status, deps, { outcome: out.phase, reason: "Analysis", message, step: i, details });
  if (out.phase === "Successful") return undefined;
  if (out.phase === "Failed") return aborted(canary, status, router, target, "AnalysisFailed", message, deps, details);
  if ((canary.spec.promotedStep ?? -1) >= i) return undefined;
  setPhase(status, "Paused", `Analysis${out.phase}`, `${message}; promote or abort`, deps.now());
  return { status };
}
