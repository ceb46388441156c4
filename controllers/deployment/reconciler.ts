// The deployment reconciler: a level-triggered state machine over Deployment.status.
//
//   Pending      wait for the release to be resolved and for the environment's lock (a newer queued
//                deployment supersedes this one); then freeze the target list and the strategy.
//   Progressing  start batches as the strategy allows, step every started target (apply, health,
//                cutover), fail on the failure budget or the progress deadline, and roll back.
//   Paused       as Progressing, but no new batch starts.
//   terminal     Succeeded, Failed, RolledBack, Aborted, Superseded; the lock is released. A
//                BlueGreen success still scales the previous release down after scaleDownDelay,
//                and `retry` brings a Failed or RolledBack deployment back to Pending.
//
// Every pass reads the objects from informer caches and the units from the drivers, so a
// restarted controller resumes from status plus what actually runs.
import { isDeepStrictEqual } from "node:util";
import { ReleaseConditions, type Release } from "../../crds/release.ts";
import { DEPLOYMENT_TERMINAL_PHASES, DeploymentConditions as C, type Deployment, type DeploymentStatus, type TargetRollout } from "../../crds/deployment.ts";
import { isTrue, setCondition } from "../runtime/index.ts";
import type { Reconciler, Request, Result } from "../runtime/index.ts";
import { releaseHistory } from "../../sdk/release-history.ts";
import type { DeploymentDeps } from "./deps.ts";
import { HealthTracker, probeInterval } from "./health.ts";
import { batchOf, failureBudgetExceeded, staggerEndsAt, targetsToStart } from "./plan.ts";
import { freezeTargets } from "./targets.ts";
import { effectiveSettings, millis } from "./settings.ts";
import { allArtifacts, rollBackTarget, rollTarget, scaleDownTarget } from "./step.ts";
import type { StepContext } from "./context.ts";
import { nameOf } from "./units.ts";
import { deploymentEvidence } from "./evidence.ts";

const terminal = (d: Deployment | undefined): boolean => DEPLOYMENT_TERMINAL_PHASES.includes(d?.status?.phase ?? "Pending");
/** Phases `stella rollout retry` brings back to Pending (an Aborted one keeps spec.abort, so it is not one). */
const RETRYABLE = new Set(["Failed", "RolledBack"]);
/** How often a progressing deployment is looked at, at most and at least. */
const POLL = { minMs: 200, maxMs: 5000 } as const;

/** Runs deployments. */
export class DeploymentReconciler implements Reconciler {
  private readonly health: HealthTracker;

  constructor(private readonly deps: DeploymentDeps) {
    this.health = new HealthTracker(deps.now);
  }

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const d = this.deps.deployment(namespace, name);
    if (!d || d.metadata.deletionTimestamp) {
      return;
    }
    const now = this.deps.now();
    const old: DeploymentStatus = d.status ?? {};
    let status: DeploymentStatus = { ...old };
    const generation = d.metadata.generation ?? 0;
    let requeue: number | undefined;

    if (RETRYABLE.has(status.phase ?? "") && (d.spec.retry ?? 0) > (status.observedRetry ?? 0)) status = retried(status, d.spec.retry ?? 0, stamp(now));

    if (terminal({ ...d, status })) {
      requeue = await this.afterEnd(d, status, now);
    } else if (d.spec.abort && (status.phase ?? "Pending") === "Pending") {
      status = end(status, "Aborted", "Aborted", "aborted before it started", now);
    } else if ((status.phase ?? "Pending") === "Pending") {
      const started = await this.start(d, status, now);
      status = started.status;
      requeue = started.requeue;
    }
    if (!terminal({ ...d, status }) && status.phase !== "Pending" && status.phase !== undefined) {
      const ran = await this.progress(d, status, now);
      status = ran.status;
      requeue = ran.requeue;
    }
    if (terminal({ ...d, status })) await this.deps.locks.release(namespace, d.spec.environment, name);
    status = clean({ ...status, observedGeneration: generation });
    if (terminal({ ...d, status }) && !terminal(d)) {
      const packet = deploymentEvidence(d, status, this.deps.release(namespace, d.spec.release));
      if (packet) status.evidence = [...(status.evidence ?? []).filter((e) => e !== packet.name), await this.deps.recordEvidence(namespace, packet.name, packet.spec, packet.labels)];
    }
    if (!isDeepStrictEqual(status, clean(old))) {
      await this.deps.writeStatus({ ...d, status });
      if (status.phase !== old.phase) this.deps.log.info("deployment phase", { deployment: `${namespace}/${name}`, phase: status.phase, message: status.message });
    }
    return requeue === undefined ? undefined : { requeueAfter: requeue };
  }

  /** Pending: wait for the release and the lock, then freeze targets and strategy. */
  private async start(d: Deployment, status: DeploymentStatus, now: number): Promise<{ status: DeploymentStatus; requeue?: number }> {
    const { deps } = this;
    const ns = d.metadata.namespace ?? "default";
    const env = deps.environment(ns, d.spec.environment);
    const release = deps.release(ns, d.spec.release);
    const wait = (reason: string, message: string, requeue?: number) => ({ status: { ...status, phase: "Pending" as const, message, conditions: setCondition(status.conditions, { type: C.Progressing, status: "Unknown", reason, message }, stamp(now)) }, requeue });
    if (!env) return wait("EnvironmentNotFound", `environment ${d.spec.environment} not found`, 5000);
    if (!release) return wait("ReleaseNotFound", `release ${d.spec.release} not found`, 5000);
    if (release.status?.phase === "Failed") return { status: end(status, "Failed", "ReleaseFailed", `release ${d.spec.release} cannot be resolved: ${releaseMessage(release)}`, now) };
    if (!isTrue(release.status?.conditions, ReleaseConditions.Ready)) return wait("WaitingForRelease", `waiting for release ${d.spec.release}: ${releaseMessage(release)}`);
    const queued = deps.deployments(ns).filter((o) => o.spec.environment === d.spec.environment && o.metadata.name !== d.metadata.name && !terminal(o) && (o.status?.phase ?? "Pending") === "Pending");
    const newest = queued.filter((o) => newerThan(o, d)).sort((a, b) => (newerThan(a, b) ? -1 : 1))[0];
    if (newest) return { status: { ...end(status, "Superseded", "Superseded", `superseded by ${nameOf(newest)}, created later for environment ${d.spec.environment} while this one was queued`, now), supersededBy: nameOf(newest) } };
    const lock = await deps.locks.acquire(ns, d.spec.environment, nameOf(d), (holder) => !terminal(deps.deployment(ns, holder)));
    if (!lock.held) {
      const s = wait("WaitingForLock", `waiting for deployment ${lock.holder}, which holds environment ${d.spec.environment}`);
      return { status: { ...s.status, waitingFor: lock.holder } };
    }
    const settings = effectiveSettings(d, env);
    const frozen = freezeTargets(env, deps.targets(ns));
    const landed = releaseHistory(deps.deployments(ns).filter((o) => o.spec.environment === d.spec.environment && o.metadata.name !== d.metadata.name)).current;
    const next: DeploymentStatus = { ...status, waitingFor: undefined, phase: "Progressing", startedAt: stamp(now), lastProgressTime: stamp(now), strategy: settings.strategy, totalTargets: frozen.length, targets: frozen.map((t, i) => ({ name: t.metadata.name ?? "", driver: t.spec.driver, batch: batchOf(settings.strategy, i), phase: "Pending" })) };
    if (landed && landed.release !== d.spec.release) next.previousRelease = landed.release;
    else delete next.previousRelease;
    if (frozen.length === 0) return { status: end(next, "Failed", "NoTargets", `environment ${d.spec.environment} selects no schedulable targets`, now) };
    const msg = `rolling ${d.spec.release} out to ${frozen.length} target(s) with ${settings.strategy.type}` + (next.previousRelease ? `; ${next.previousRelease} is the rollback point` : "");
    next.message = msg;
    next.conditions = setCondition(next.conditions, { type: C.Progressing, status: "True", reason: "NewReleaseProgressing", message: msg }, stamp(now));
    deps.log.info("deployment started", { deployment: `${ns}/${d.metadata.name}`, release: d.spec.release, environment: d.spec.environment, targets: frozen.length, strategy: settings.strategy.type });
    return { status: next };
  }

  /** Progressing or Paused: advance the targets, or the rollback. */
  private async progress(d: Deployment, status: DeploymentStatus, now: number): Promise<{ status: DeploymentStatus; requeue?: number }> {
    const ctx = this.context(d, status);
    if (!ctx) return { status: end(status, "Failed", "ReleaseNotFound", `release ${d.spec.release} was deleted during the rollout`, now) };
    let targets = [...(status.targets ?? [])];
    let next = { ...status };
    const touched = (t: TargetRollout) => t.phase !== "Pending";

    if (d.spec.abort && !next.rollback) {
      if (!ctx.previous || !targets.some(touched)) return { status: end(next, "Aborted", "Aborted", ctx.previous ? "aborted; no target had started" : "aborted; there is no previous release to go back to", now) };
      next = beginRollback(next, nameOf(ctx.previous), "aborted by request", now);
    }

    if (!next.rollback) {
      const paused = d.spec.paused === true;
      for (const t of targetsToStart(ctx.settings.strategy, targets, now, paused)) targets = replace(targets, { ...t, phase: "Progressing", startedAt: stamp(now), message: "starting" });
      const outcomes = await Promise.all(targets.map((t) => (t.phase === "Progressing" ? rollTarget(ctx, t) : { rollout: t, progressed: false })));
      targets = outcomes.map((o) => o.rollout);
      if (outcomes.some((o) => o.progressed)) next.lastProgressTime = stamp(now);
      next.phase = paused ? "Paused" : "Progressing";
      if (!paused && next.phase !== status.phase) next.lastProgressTime = stamp(now);
      const deadline = Date.parse(next.lastProgressTime ?? next.startedAt ?? stamp(now)) + ctx.settings.progressDeadlineMs;
      let failure: { reason: string; message: string } | undefined;
      if (failureBudgetExceeded(ctx.settings.strategy, targets)) {
        const failed = targets.filter((t) => t.phase === "Failed");
        failure = { reason: "TargetsFailed", message: failed.map((t) => `${t.name}: ${t.message}`).join("; ") };
      } else if (!paused && now > deadline && targets.some((t) => t.phase !== "Succeeded")) {
        const stuck = targets.filter((t) => t.phase === "Progressing" || t.phase === "Pending");
        targets = targets.map((t) => (t.phase === "Progressing" ? { ...t, phase: "Failed", completedAt: stamp(now), message: `progress deadline exceeded: ${t.message ?? ""}` } : t));
        failure = { reason: "ProgressDeadlineExceeded", message: `no progress for ${d.spec.progressDeadline ?? ctx.environment?.spec.deployment?.progressDeadline ?? "10m"}; ${stuck.map((t) => `${t.name}: ${t.message ?? t.phase}`).join("; ")}` };
      }
      next = summarize({ ...next, targets });
      if (failure) {
        next.conditions = setCondition(next.conditions, { type: C.Progressing, status: "False", reason: failure.reason, message: failure.message }, stamp(now));
        if (!ctx.settings.autoRollback || !ctx.previous) {
          const why = !ctx.settings.autoRollback ? "automatic rollback is off" : "there is no previous release to roll back to";
          return { status: end(next, "Failed", failure.reason, `${failure.message} (${why})`, now) };
        }
        next = beginRollback(next, nameOf(ctx.previous), failure.message, now);
        targets = next.targets ?? [];
      } else if (targets.every((t) => t.phase === "Succeeded" || t.phase === "Failed")) {
        return { status: this.complete(d, next, ctx, now), requeue: scaleDownWait(next, now) };
      } else {
        return { status: next, requeue: pollAfter(ctx, targets, now) };
      }
    }

    // Rolling back: every target that started goes back to the previous release.
    const previous = ctx.previous;
    if (!previous) return { status: end(next, "Failed", "RollbackFailed", `release ${next.rollback?.release} to roll back to was not found`, now) };
    const outcomes = await Promise.all(targets.map((t) => (t.phase !== "Pending" && t.phase !== "RolledBack" ? rollBackTarget(ctx, t, previous) : { rollout: t, progressed: false })));
    targets = outcomes.map((o) => o.rollout);
    next = summarize({ ...next, targets });
    const aborted = d.spec.abort === true;
    if (targets.every((t) => t.phase === "Pending" || t.phase === "RolledBack")) {
      const done = this.deps.now(); // after the steps: the rollback's completion is later than the failure it answers
      next.rollback = { ...next.rollback!, completedAt: stamp(done) };
      next.conditions = setCondition(next.conditions, { type: C.RolledBack, status: "True", reason: "RolledBack", message: `${previous.metadata.name} runs again: ${next.rollback.reason}` }, stamp(done));
      return { status: end(next, aborted ? "Aborted" : "RolledBack", aborted ? "Aborted" : "RolledBack", `rolled back to ${previous.metadata.name}: ${next.rollback.reason}`, done) };
    }
    const rbDeadline = Date.parse(next.rollback?.startedAt ?? stamp(now)) + ctx.settings.progressDeadlineMs;
    if (now > rbDeadline) {
      const stuck = targets.filter((t) => t.phase !== "Pending" && t.phase !== "RolledBack");
      return { status: end(next, "Failed", "RollbackFailed", `rollback to ${previous.metadata.name} did not finish: ${stuck.map((t) => `${t.name}: ${t.message}`).join("; ")}`, now) };
    }
    return { status: next, requeue: pollAfter(ctx, targets, now) };
  }

  /** Every target finished within the failure budget. */
  private complete(d: Deployment, status: DeploymentStatus, ctx: StepContext, now: number): DeploymentStatus {
    const next = { ...status };
    const strategy = ctx.settings.strategy;
    const delay = strategy.type === "BlueGreen" ? millis(strategy.scaleDownDelay) : 0;
    if (strategy.type === "BlueGreen") next.scaleDownAt = stamp(now + delay);
    next.conditions = setCondition(next.conditions, { type: C.Available, status: "True", reason: "Healthy", message: `${d.spec.release} is healthy on ${next.healthyTargets}/${next.totalTargets} target(s)` }, stamp(now));
    next.conditions = setCondition(next.conditions, { type: C.Progressing, status: "True", reason: "NewReleaseAvailable", message: `${d.spec.release} rolled out` }, stamp(now));
    const failed = next.failedTargets ?? 0;
    const suffix = strategy.type === "BlueGreen" && next.previousRelease ? `; ${next.previousRelease} kept until ${next.scaleDownAt}` : "";
    return end(next, "Succeeded", "Complete", `${d.spec.release} runs on ${next.healthyTargets}/${next.totalTargets} target(s)${failed ? ` (${failed} failed within maxFailureRatio)` : ""}${suffix}`, now);
  }

  /** A finished deployment: BlueGreen scale-down when due. */
  private async afterEnd(d: Deployment, status: DeploymentStatus, now: number): Promise<number | undefined> {
    if (status.phase !== "Succeeded" || !status.scaleDownAt || status.scaledDownAt) return undefined;
    const due = Date.parse(status.scaleDownAt);
    if (now < due) return due - now;
    const ns = d.metadata.namespace ?? "default";
    const current = releaseHistory(this.deps.deployments(ns).filter((o) => o.spec.environment === d.spec.environment)).current;
    if (current?.deployment === d.metadata.name) {
      const ctx = this.context(d, status);
      if (ctx) await Promise.all((status.targets ?? []).filter((t) => t.phase === "Succeeded").map((t) => scaleDownTarget(ctx, t, d.spec.release)));
    }
    status.scaledDownAt = stamp(now);
    return undefined;
  }

  private context(d: Deployment, status: DeploymentStatus): StepContext | undefined {
    const ns = d.metadata.namespace ?? "default";
    const release = this.deps.release(ns, d.spec.release);
    if (!release) return undefined;
    const environment = this.deps.environment(ns, d.spec.environment);
    const previousName = status.rollback?.release ?? status.previousRelease;
    return {
      deployment: d,
      namespace: ns,
      environment,
      release,
      previous: previousName ? this.deps.release(ns, previousName) : undefined,
      settings: effectiveSettings({ ...d, status }, environment),
      target: (name) => this.deps.target(ns, name),
      driver: (t) => this.deps.drivers.get(t),
      applyContext: (t, r) => this.deps.applyContext(t, r),
      store: (target, rendered) => this.deps.storeArtifacts(ns, target, rendered),
      health: this.health,
      ports: this.deps.ports,
      now: this.deps.now,
      log: this.deps.log,
    };
  }
}

const stamp = (ms: number): string => new Date(ms).toISOString();

function newerThan(a: Deployment, b: Deployment): boolean {
  const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  return ta !== tb ? ta > tb : (a.metadata.name ?? "") > (b.metadata.name ?? "");
}

function releaseMessage(r: Release): string {
  const ready = r.status?.conditions?.find((c) => c.type === ReleaseConditions.Ready);
  return ready?.message || r.status?.phase || "not resolved yet";
}

function replace(targets: TargetRollout[], t: TargetRollout): TargetRollout[] {
  return targets.map((o) => (o.name === t.name ? t : o));
}

/** Status with a terminal phase. */
function end(status: DeploymentStatus, phase: NonNullable<DeploymentStatus["phase"]>, reason: string, message: string, now: number): DeploymentStatus {
  const next: DeploymentStatus = { ...status, phase, message, completedAt: stamp(now), waitingFor: undefined };
  const complete = phase === "Succeeded";
  next.conditions = setCondition(next.conditions, { type: C.Complete, status: complete ? "True" : "False", reason, message }, stamp(now));
  if (!complete) next.conditions = setCondition(next.conditions, { type: C.Progressing, status: "False", reason, message }, stamp(now));
  return clean(next);
}

function beginRollback(status: DeploymentStatus, release: string, reason: string, now: number): DeploymentStatus {
  const message = `rolling back to ${release}: ${reason}`;
  return {
    ...status,
    rollback: { release, reason, startedAt: stamp(now) },
    message,
    conditions: setCondition(status.conditions, { type: C.RolledBack, status: "Unknown", reason: "RollingBack", message }, stamp(now)),
  };
}

/** A Failed or RolledBack deployment brought back to Pending by `stella rollout retry`. */
function retried(status: DeploymentStatus, retry: number, now: string): DeploymentStatus {
  const { conditions, evidence } = status;
  return clean({ phase: "Pending", observedRetry: retry, message: `retry ${retry} requested`, conditions: setCondition(conditions, { type: C.Progressing, status: "Unknown", reason: "RetryRequested", message: `retry ${retry} requested` }, now), evidence });
}

/** Counters and the display string from the per-target phases. */
function summarize(status: DeploymentStatus): DeploymentStatus {
  const targets = status.targets ?? [];
  const healthy = targets.filter((t) => t.phase === "Succeeded").length;
  const next: DeploymentStatus = {
    ...status,
    totalTargets: targets.length,
    updatedTargets: targets.filter((t) => t.phase !== "Pending").length,
    healthyTargets: healthy,
    failedTargets: targets.filter((t) => t.phase === "Failed").length,
    progress: `${healthy}/${targets.length}`,
    currentBatch: targets.filter((t) => t.phase !== "Pending").reduce((m, t) => Math.max(m, t.batch ?? 0), 0),
    artifacts: uniqueArtifacts(allArtifacts(targets)),
  };
  if (!status.rollback) {
    const active = targets.find((t) => t.phase === "Progressing");
    if (active?.message) next.message = `${active.name}: ${active.message}`;
  } else {
    const active = targets.find((t) => t.phase !== "Pending" && t.phase !== "RolledBack");
    next.message = active ? `rolling back to ${status.rollback.release}: ${active.name}: ${active.message}` : status.message;
  }
  return next;
}

function uniqueArtifacts(list: NonNullable<DeploymentStatus["artifacts"]>): NonNullable<DeploymentStatus["artifacts"]> {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.target}/${a.component ?? ""}/${a.digest}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The status without undefined keys or empty lists. */
function clean(status: DeploymentStatus): DeploymentStatus {
  return Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as DeploymentStatus;
}

/** When to look again at a deployment that is still rolling. */
function pollAfter(ctx: StepContext, targets: readonly TargetRollout[], now: number): number {
  const intervals = ctx.release.spec.components.map((c) => probeInterval(c.healthCheck));
  let wait = Math.min(POLL.maxMs, ...intervals);
  const stagger = staggerEndsAt(ctx.settings.strategy, targets);
  if (stagger !== undefined && stagger > now) wait = Math.min(wait, stagger - now);
  return Math.max(POLL.minMs, wait);
}

function scaleDownWait(status: DeploymentStatus, now: number): number | undefined {
  return status.scaleDownAt ? Math.max(0, Date.parse(status.scaleDownAt) - now) : undefined;
}
