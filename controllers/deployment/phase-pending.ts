// Pending: wait for the release to be ready and for the environment's lock (a newer queued
// deployment supersedes this one); then freeze the target list and the strategy, and start.
import { DeploymentConditions as C, type Deployment, type DeploymentStatus } from "../../crds/deployment.ts";
import { ReleaseConditions, type Release } from "../../crds/release.ts";
import { releaseHistory } from "../../sdk/release-history.ts";
import { isTrue, setCondition } from "../runtime/index.ts";
import { canaryRefusal } from "./canary-refusal.ts";
import type { DeploymentDeps } from "./deps.ts";
import { batchOf } from "./plan.ts";
import { effectiveSettings } from "./settings.ts";
import { end, stamp, terminal, type PhaseResult } from "./status-transitions.ts";
import { freezeTargets } from "./targets.ts";
import { nameOf } from "./units.ts";

/** How long to wait before looking for a missing environment or release again. */
const MISSING_RETRY_MS = 5000;

/** Pending: wait for the release and the lock, then freeze targets and strategy. */
export async function startDeployment(
  deps: DeploymentDeps,
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): Promise<PhaseResult> {
  const ns = d.metadata.namespace ?? "default";
  const env = deps.environment(ns, d.spec.environment);
  const release = deps.release(ns, d.spec.release);
  const wait = (reason: string, message: string, requeue?: number): PhaseResult => {
    const conditions = setCondition(
      status.conditions,
      { type: C.Progressing, status: "Unknown", reason, message },
      stamp(now),
    );
    return { status: { ...status, phase: "Pending", message, conditions }, requeue };
  };
  if (!env) return wait("EnvironmentNotFound", `environment ${d.spec.environment} not found`, MISSING_RETRY_MS);
  if (!release) return wait("ReleaseNotFound", `release ${d.spec.release} not found`, MISSING_RETRY_MS);
  if (release.status?.phase === "Failed") {
    return {
      status: end(
        status,
        "Failed",
        "ReleaseFailed",
        `release ${d.spec.release} cannot be resolved: ${releaseMessage(release)}`,
        now,
      ),
    };
  }
  if (!isTrue(release.status?.conditions, ReleaseConditions.Ready)) {
    return wait("WaitingForRelease", `waiting for release ${d.spec.release}: ${releaseMessage(release)}`);
  }
  const newest = newestQueued(deps, d);
  if (newest) {
    const message = `superseded by ${nameOf(newest)}, created later for environment ${d.spec.environment} while this one was queued`;
    return { status: { ...end(status, "Superseded", "Superseded", message, now), supersededBy: nameOf(newest) } };
  }
  const lock = await deps.locks.acquire(
    ns,
    d.spec.environment,
    nameOf(d),
    (holder) => !terminal(deps.deployment(ns, holder)),
  );
  if (!lock.held) {
    const s = wait(
      "WaitingForLock",
      `waiting for deployment ${lock.holder}, which holds environment ${d.spec.environment}`,
    );
    return { status: { ...s.status, waitingFor: lock.holder } };
  }
  const settings = effectiveSettings(d, env);
  const frozen = freezeTargets(env, deps.targets(ns));
  const others = deps
    .deployments(ns)
    .filter((o) => o.spec.environment === d.spec.environment && o.metadata.name !== d.metadata.name);
  // A standalone canary that landed is what runs, so it is the rollback point when it is newest.
  const landed = releaseHistory(others, deps.canaries.inEnvironment(ns, d.spec.environment)).current;
  const next: DeploymentStatus = {
    ...status,
    waitingFor: undefined,
    phase: "Progressing",
    startedAt: stamp(now),
    lastProgressTime: stamp(now),
    strategy: settings.strategy,
    totalTargets: frozen.length,
    targets: frozen.map((t, i) => ({
      name: t.metadata.name ?? "",
      driver: t.spec.driver,
      batch: batchOf(settings.strategy, i),
      phase: "Pending",
    })),
  };
  if (landed && landed.release !== d.spec.release) next.previousRelease = landed.release;
  else delete next.previousRelease;
  if (frozen.length === 0)
    return {
      status: end(next, "Failed", "NoTargets", `environment ${d.spec.environment} selects no schedulable targets`, now),
    };
  const plan = settings.strategy.canary;
  const current = landed?.release;
  const refusal =
    plan &&
    canaryRefusal({
      plan,
      release,
      environment: d.spec.environment,
      current,
      currentRelease: current ? deps.release(ns, current) : undefined,
    });
  if (refusal) return { status: end(next, "Failed", refusal.reason, refusal.message, now) };
  const rollbackPoint = next.previousRelease ? `; ${next.previousRelease} is the rollback point` : "";
  const onTargets = `on ${frozen.length} target(s)`;
  const msg = plan
    ? `running a canary of ${plan.component} from ${next.previousRelease} to ${d.spec.release} ${onTargets}`
    : `rolling ${d.spec.release} out to ${frozen.length} target(s) with ${settings.strategy.type}${rollbackPoint}`;
  next.message = msg;
  next.conditions = setCondition(
    next.conditions,
    { type: C.Progressing, status: "True", reason: "NewReleaseProgressing", message: msg },
    stamp(now),
  );
  deps.log.info("deployment started", {
    deployment: `${ns}/${d.metadata.name}`,
    release: d.spec.release,
    environment: d.spec.environment,
    targets: frozen.length,
    strategy: settings.strategy.type,
  });
  return { status: next };
}

/** The newest other deployment queued (Pending) for the same environment, if it is newer than `d`. */
function newestQueued(deps: DeploymentDeps, d: Deployment): Deployment | undefined {
  const ns = d.metadata.namespace ?? "default";
  const queued = deps
    .deployments(ns)
    .filter(
      (o) =>
        o.spec.environment === d.spec.environment &&
        o.metadata.name !== d.metadata.name &&
        !terminal(o) &&
        (o.status?.phase ?? "Pending") === "Pending",
    );
  return queued.filter((o) => newerThan(o, d)).sort((a, b) => (newerThan(a, b) ? -1 : 1))[0];
}

/** Whether `a` was created after `b` (names break ties). */
export function newerThan(a: Deployment, b: Deployment): boolean {
  const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  return ta !== tb ? ta > tb : (a.metadata.name ?? "") > (b.metadata.name ?? "");
}

function releaseMessage(r: Release): string {
  const ready = r.status?.conditions?.find((c) => c.type === ReleaseConditions.Ready);
  return ready?.message || r.status?.phase || "not resolved yet";
}
