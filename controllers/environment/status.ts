// The environment's status as a pure function of its selected Targets and its Deployments: the
// target summary, the phase, the Ready and Progressing conditions, the active deployment and the
// release history. Frozen and frozenUntil belong to the promotions controller and are kept as found.
import { isDeepStrictEqual } from "node:util";
import type { Canary } from "../../crds/canary.ts";
import { DEPLOYMENT_TERMINAL_PHASES, type Deployment, type DeploymentPhase } from "../../crds/deployment.ts";
import {
  EnvironmentConditions as C,
  type Environment,
  type EnvironmentPhase,
  type EnvironmentStatus,
} from "../../crds/environment.ts";
import { TargetConditions, type Target } from "../../crds/target.ts";
import { findCondition, setCondition } from "../runtime/index.ts";
import { releaseHistory } from "../../sdk/release-history.ts";

/** Reasons of the environment's Ready and Progressing conditions. */
export const EnvironmentReasons = {
  TargetsReady: "TargetsReady",
  TargetsNotReady: "TargetsNotReady",
  NoTargets: "NoTargets",
  AllTargetsCordoned: "AllTargetsCordoned",
  DeploymentRunning: "DeploymentRunning",
  Idle: "Idle",
} as const;

/** One entry of status.targets. */
export type TargetSummary = NonNullable<EnvironmentStatus["targets"]>[number];

/** Whether the target's last probe reached its backend (Ready=True). */
export const isTargetReady = (t: Target): boolean =>
  findCondition(t.status?.conditions, TargetConditions.Ready)?.status === "True";

/** Whether the target is cordoned: new deployments skip it, what runs there stays (kubectl cordon). */
export const isCordoned = (t: Target): boolean => t.spec.unschedulable === true;

/** The phase of a deployment; one the deployment controller has not touched yet is Pending. */
export const phaseOf = (d: Deployment): DeploymentPhase => d.status?.phase ?? "Pending";

/** Whether the deployment still runs or waits to (not Succeeded, Failed, RolledBack, Aborted or Superseded). */
export const isRunning = (d: Deployment): boolean => !DEPLOYMENT_TERMINAL_PHASES.includes(phaseOf(d));

/** The deployment holding the environment: Progressing or Paused; the earliest started if several. */
export function activeDeployment(deployments: readonly Deployment[]): Deployment | undefined {
  return [...deployments].filter((d) => phaseOf(d) === "Progressing" || phaseOf(d) === "Paused").sort(byStart)[0];
}

/** status.targets: every selected target by name, with its driver and readiness. */
export function targetSummaries(targets: readonly Target[]): TargetSummary[] {
  return [...targets]
    .sort((a, b) => compare(a.metadata.name ?? "", b.metadata.name ?? ""))
    .map((t) => ({
      name: t.metadata.name ?? "",
      driver: t.spec.driver,
      ready: isTargetReady(t),
      ...(isCordoned(t) ? { cordoned: true } : {}),
    }));
}

/**
 * The status `env` should have, given the Targets its selector matches and its Deployments.
 * Conditions keep their lastTransitionTime unless their status flips (`now` otherwise).
 */
export function environmentStatus(
  env: Environment,
  targets: readonly Target[],
  deployments: readonly Deployment[],
  now: string,
  canaries: readonly Canary[] = [],
): EnvironmentStatus {
  const old = env.status ?? {};
  const generation = env.metadata.generation ?? 0;
  const summaries = targetSummaries(targets);
  // Like cordoned nodes in Kubernetes, cordoned targets are counted apart: they neither make the
  // environment ready nor degrade it, since no new deployment goes there.
  const schedulable = targets.filter((t) => !isCordoned(t));
  const ready = schedulable.filter(isTargetReady).length;
  const cordoned = targets.length - schedulable.length;
  const total = schedulable.length;
  const running = [...deployments]
    .filter(isRunning)
    .sort((a, b) => Number(isHolding(b)) - Number(isHolding(a)) || byStart(a, b));
  const active = activeDeployment(deployments);
  const { current, previous, history } = releaseHistory(deployments, canaries);

  const phase: EnvironmentPhase =
    targets.length === 0
      ? "Pending"
      : running.length > 0
        ? "Progressing"
        : total > 0 && ready === total
          ? "Ready"
          : "Degraded";
  const readiness = readyCondition(schedulable, ready, targets.filter(isCordoned));
  let conditions = setCondition(old.conditions, { ...readiness, observedGeneration: generation }, now);
  const first = running[0];
  const progressing = first
    ? {
        status: "True" as const,
        reason: EnvironmentReasons.DeploymentRunning,
        message: `deployment ${first.metadata.name} (release ${first.spec.release}) is ${phaseOf(first)}`,
      }
    : { status: "False" as const, reason: EnvironmentReasons.Idle, message: "no deployment is running" };
  conditions = setCondition(conditions, { type: C.Progressing, ...progressing, observedGeneration: generation }, now);

  return compactStatus({
    ...old,
    observedGeneration: generation,
    conditions,
    phase,
    current,
    previous,
    history,
    targets: summaries,
    readyTargets: ready,
    totalTargets: targets.length,
    cordonedTargets: cordoned || undefined,
    ready: `${ready}/${total}${cordoned ? ` +${cordoned} cordoned` : ""}`,
    activeDeployment: active?.metadata.name,
  });
}

function readyCondition(schedulable: readonly Target[], ready: number, cordoned: readonly Target[]) {
  const total = schedulable.length;
  const names = (ts: readonly Target[]) => ts.map((t) => t.metadata.name ?? "").sort(compare);
  const apart = cordoned.length ? `; cordoned: ${names(cordoned).join(", ")}` : "";
  if (total === 0 && cordoned.length === 0) {
    return {
      type: C.Ready,
      status: "False" as const,
      reason: EnvironmentReasons.NoTargets,
      message: "no target matches the target selector",
    };
  }
  if (total === 0) {
    const message = `every target is cordoned: ${names(cordoned).join(", ")}`;
    return { type: C.Ready, status: "False" as const, reason: EnvironmentReasons.AllTargetsCordoned, message };
  }
  if (ready === total) {
    return {
      type: C.Ready,
      status: "True" as const,
      reason: EnvironmentReasons.TargetsReady,
      message: `${ready}/${total} targets ready${apart}`,
    };
  }
  const unready = schedulable
    .filter((t) => !isTargetReady(t))
    .sort((a, b) => compare(a.metadata.name ?? "", b.metadata.name ?? ""))
    .map(
      (t) =>
        `${t.metadata.name} (${findCondition(t.status?.conditions, TargetConditions.Ready)?.reason ?? "not probed yet"})`,
    );
  const message = `${ready}/${total} targets ready; not ready: ${unready.join(", ")}${apart}`;
  return { type: C.Ready, status: "False" as const, reason: EnvironmentReasons.TargetsNotReady, message };
}

/** The status without keys whose value is undefined or an empty list, for comparison and writing. */
export function compactStatus(status: EnvironmentStatus): EnvironmentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as EnvironmentStatus;
}

/** Whether two statuses say the same. */
export const sameStatus = (a: EnvironmentStatus, b: EnvironmentStatus): boolean =>
  isDeepStrictEqual(compactStatus(a), compactStatus(b));

const isHolding = (d: Deployment): boolean => phaseOf(d) === "Progressing" || phaseOf(d) === "Paused";

function byStart(a: Deployment, b: Deployment): number {
  const start = (d: Deployment) => d.status?.startedAt ?? d.metadata.creationTimestamp ?? "";
  return compare(start(a), start(b)) || compare(a.metadata.name ?? "", b.metadata.name ?? "");
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
