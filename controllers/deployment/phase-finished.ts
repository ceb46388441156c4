// The end of a rollout that succeeded: Succeeded with the Available condition, and for BlueGreen
// the previous release's units kept until scaleDownDelay has passed, then scaled down — unless a
// newer deployment of the environment has since started or landed: it owns the targets now (the
// kept units are its rollback point, and its own cutover, scale-down or rollback removes what it
// replaces). A newer deployment's units are never this scale-down's to remove, even one that starts
// while it runs.
import { DeploymentConditions as C, type Deployment, type DeploymentStatus } from "../../crds/deployment.ts";
import { releaseHistory } from "../../sdk/release-history.ts";
import { setCondition } from "../runtime/index.ts";
import type { StepContext } from "./context.ts";
import type { DeploymentDeps } from "./deps.ts";
import { millis } from "./settings.ts";
import { newerThan } from "./phase-pending.ts";
import { end, stamp } from "./status-transitions.ts";
import { scaleDownTarget } from "./step.ts";

/** Every target finished within the failure budget. */
export function completeDeployment(
  d: Deployment,
  status: DeploymentStatus,
  ctx: StepContext,
  now: number,
): DeploymentStatus {
  const next = { ...status };
  const strategy = ctx.settings.strategy;
  if (strategy.type === "BlueGreen") next.scaleDownAt = stamp(now + millis(strategy.scaleDownDelay));
  const healthy = `${next.healthyTargets}/${next.totalTargets} target(s)`;
  const at = stamp(now);
  const available = {
    type: C.Available,
    status: "True" as const,
    reason: "Healthy",
    message: `${d.spec.release} is healthy on ${healthy}`,
  };
  next.conditions = setCondition(next.conditions, available, at);
  const rolledOut = {
    type: C.Progressing,
    status: "True" as const,
    reason: "NewReleaseAvailable",
    message: `${d.spec.release} rolled out`,
  };
  next.conditions = setCondition(next.conditions, rolledOut, at);
  const failed = next.failedTargets ?? 0;
  const within = failed ? ` (${failed} failed within maxFailureRatio)` : "";
  const kept =
    strategy.type === "BlueGreen" && next.previousRelease
      ? `; ${next.previousRelease} kept until ${next.scaleDownAt}`
      : "";
  return end(next, "Succeeded", "Complete", `${d.spec.release} runs on ${healthy}${within}${kept}`, now);
}

/** How long until a succeeded BlueGreen deployment scales the previous release down. */
export function scaleDownWait(status: DeploymentStatus, now: number): number | undefined {
  return status.scaleDownAt ? Math.max(0, Date.parse(status.scaleDownAt) - now) : undefined;
}

/** A finished deployment: the BlueGreen scale-down when due (sets status.scaledDownAt); when to look again. */
export async function afterEnd(
  deps: DeploymentDeps,
  ctxOf: () => StepContext | undefined,
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): Promise<number | undefined> {
  if (status.phase !== "Succeeded" || !status.scaleDownAt || status.scaledDownAt) return undefined;
  const due = Date.parse(status.scaleDownAt);
  if (now < due) return due - now;
  const ns = d.metadata.namespace ?? "default";
  const inEnv = deps.deployments(ns).filter((o) => o.spec.environment === d.spec.environment);
  // A standalone canary that landed since replaced this release; one running owns its units.
  const canaries = deps.canaries.inEnvironment(ns, d.spec.environment);
  const current = releaseHistory(inEnv, canaries).current;
  const newer = inEnv.filter((o) => o.metadata.name !== d.metadata.name && newerThan(o, d));
  if (current?.deployment === d.metadata.name && !newer.some((o) => o.status?.startedAt)) {
    const ctx = ctxOf();
    const done = (status.targets ?? []).filter((t) => t.phase === "Succeeded");
    const spare = new Set([...newer, ...canaries].map((o) => o.metadata.name ?? ""));
    if (ctx) await Promise.all(done.map((t) => scaleDownTarget(ctx, t, d.spec.release, spare)));
  }
  status.scaledDownAt = stamp(now);
  return undefined;
}
