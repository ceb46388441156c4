// Background analysis: metrics measured over the whole canary, beside the steps, from
// spec.analysis.background.startingStep on. Its run is the one in status.analysisRuns without a
// step. Failed aborts at once (traffic back to stable first); Inconclusive or Error pauses the
// canary until a person decides (promote releases it at the current step, or abort); Successful
// (its count measured) lets the steps go on. No data is never a pass.
import type { Canary, CanaryStatus } from "../../crds/canary.ts";
import type { Router, RouteTarget } from "../../sdk/plugins/router.ts";
import { advanceRun, type AnalysisRun } from "./analysis-run.ts";
import type { CanaryDeps } from "./deps.ts";
import { recordDecision } from "./evidence.ts";
import { abortCanary } from "./finish.ts";
import { setPhase } from "./status.ts";

/** What the background analysis says for this pass. */
export interface BackgroundOutcome {
  /** The canary stops here (aborted or paused): the status to write. */
  stop?: { status: CanaryStatus };
  /** When its next measurement is due (epoch ms), while it runs. */
  nextAt?: number;
}

/** Advances the background analysis of `canary` (status is the pass's working copy). */
export async function backgroundAnalysis(
  canary: Canary,
  status: CanaryStatus,
  router: Router,
  target: RouteTarget,
  deps: CanaryDeps,
  signal?: AbortSignal,
): Promise<BackgroundOutcome> {
  const bg = canary.spec.analysis?.background;
  const step = status.currentStepIndex ?? 0;
  if (!bg || step < (bg.startingStep ?? 0)) return {};
  const runs = status.analysisRuns ?? [];
  const old = runs.find((r) => r.step === undefined);
  const released = (canary.spec.promotedStep ?? -1) >= step;
  if (old && old.phase !== "Running") {
    if (old.phase === "Successful" || released) return {};
    return { stop: paused(status, `background analysis ${old.phase}; promote or abort`, old.phase, deps) };
  }
  const run: AnalysisRun = old ?? { phase: "Running", startedAt: new Date(deps.now()).toISOString() };
  const out = await advanceRun(canary, run, bg.metrics, deps, signal);
  status.analysisRuns = [...runs.filter((r) => r.step !== undefined), out.run];
  if (out.phase === "Running") return out.nextAt === undefined ? {} : { nextAt: out.nextAt };
  const message = `background analysis ${out.phase}: ${out.reason}`;
  const details = { analysisRun: out.run };
  const verdict = { outcome: out.phase, reason: "BackgroundAnalysis", message, step, details };
  status.evidence = [...(status.evidence ?? []), await recordDecision(canary, verdict, deps)];
  if (out.phase === "Successful") return {};
  if (out.phase === "Failed") {
    const why = { reason: "BackgroundAnalysisFailed", message, details };
    await abortCanary(canary, status, router, target, why, deps, signal);
    return { stop: { status } };
  }
  if (released) return {};
  return { stop: paused(status, `${message}; promote or abort`, out.phase, deps) };
}

function paused(status: CanaryStatus, message: string, phase: string, deps: CanaryDeps) {
  setPhase(status, "Paused", `BackgroundAnalysis${phase}`, message, deps.now());
  return { status };
}
