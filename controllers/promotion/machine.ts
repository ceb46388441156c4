// One pass of the promotion state machine over Promotion.status:
//
//   Pending           wait for the environment and for the release's digests; then plan the gates
//                     and the step DAG (status.gates, status.steps) and note the previous release.
//   Evaluating        run the gates in order (gate-phase.ts).
//   AwaitingApproval  count approvals (the approval gate).
//   Deploying         create or adopt the Deployment and follow it (deploy-phase.ts).
//   Verifying         wait for the environment to show the landing.
//   terminal          Succeeded, Failed, Errored, Rejected, Aborted or Superseded; never left.
//
// Before the phase's own work: spec.abort ends any phase (aborting a running deployment first);
// a Rejected approval or a newer promotion to the same environment ends a promotion that has not
// started deploying. A pass decides from the status it was given and the informer caches; side
// effects happen only for decisions already stored (the Deployment is created in a pass that
// starts from a stored Deploying), so a write that loses a conflict undoes nothing real.
import { approvalBinding } from "../../crds/approval-binding.ts";
import { DEPLOYMENT_TERMINAL_PHASES } from "../../crds/deployment.ts";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import { ReleaseConditions } from "../../crds/release.ts";
import { findCondition, isTrue } from "../runtime/index.ts";
import { countApprovals, rejectionMessage } from "../gates/approval/index.ts";
import { isOwnedBy, runDeploy, runVerify } from "./deploy-phase.ts";
import type { PromotionDeps } from "./deps.ts";
import { runGates } from "./gate-phase.ts";
import { APPROVAL_GATE, planGates } from "./gates.ts";
import type { Pass } from "./pass.ts";
import { ended, isTerminal, stamp, waiting, withCondition } from "./status.ts";
import { findStep, finishStep, planSteps, Steps } from "./steps.ts";
import { SUPERSEDABLE, supersedingPromotion } from "./supersede.ts";

/** How often an aborting promotion looks at its deployment besides its events. */
const ABORT_POLL_MS = 30_000;

/** Decides the next status of `p`. */
export async function advance(p: Promotion, deps: PromotionDeps, now: number): Promise<Pass> {
  const s: PromotionStatus = { ...(p.status ?? {}), observedGeneration: p.metadata.generation };
  const phase = s.phase ?? "Pending";
  if (isTerminal(phase)) return { status: s };
  const ns = p.metadata.namespace ?? "default";
  if (p.spec.abort) return abort(p, s, deps, now);
  if (SUPERSEDABLE.has(phase)) {
    const rejection = (s.approvals ?? []).find((a) => a.decision === "Rejected");
    if (rejection) return { status: rejected(p, s, deps, now) };
    const newer = supersedingPromotion(p, deps.promotions(ns));
    if (newer) {
      const msg = `superseded by promotion ${newer.metadata.name} (release ${newer.spec.release}), created later for environment ${p.spec.environment} before this one started deploying`;
      return { status: ended({ ...s, supersededBy: newer.metadata.name }, "Superseded", "Superseded", msg, now) };
    }
  }
  const env = deps.environment(ns, p.spec.environment);
  const release = deps.release(ns, p.spec.release);
  if (phase === "Pending" || phase === "Evaluating" || phase === "AwaitingApproval") {
    if (!env)
      return {
        status: waiting({ ...s, phase }, "EnvironmentNotFound", `environment ${p.spec.environment} not found`, now),
      };
    if (!release)
      return { status: waiting({ ...s, phase }, "ReleaseNotFound", `release ${p.spec.release} not found`, now) };
  }
  switch (phase) {
    case "Pending":
      return start(p, s, deps, now);
    case "Evaluating":
    case "AwaitingApproval":
      return runGates(p, s, env!, release!, deps, now);
    case "Deploying":
      return runDeploy(p, s, deps, now);
    case "Verifying":
      return runVerify(p, s, deps, now);
    default:
      return { status: s };
  }
}

/** Pending: once the release has its digests, plan gates and steps and start evaluating. */
function start(p: Promotion, s: PromotionStatus, deps: PromotionDeps, now: number): Pass {
  const ns = p.metadata.namespace ?? "default";
  const env = deps.environment(ns, p.spec.environment)!;
  const release = deps.release(ns, p.spec.release)!;
  const ready = findCondition(release.status?.conditions, ReleaseConditions.Resolved);
  if (release.status?.phase === "Failed")
    return {
      status: ended(
        { ...s, phase: "Pending" },
        "Failed",
        "ReleaseFailed",
        `release ${p.spec.release} cannot be resolved: ${ready?.message ?? "resolution failed"}`,
        now,
      ),
    };
  if (!isTrue(release.status?.conditions, ReleaseConditions.Resolved)) {
    return {
      status: waiting(
        { ...s, phase: "Pending" },
        "WaitingForRelease",
        `waiting for release ${p.spec.release} to resolve its image digests${ready?.message ? `: ${ready.message}` : ""}`,
        now,
      ),
    };
  }
  const gates = planGates(env, release);
  const names = gates.filter((g) => g.name !== APPROVAL_GATE).map((g) => g.name);
  const current = env.status?.current?.release;
  const msg = names.length ? `evaluating gates ${names.join(", ")}, then approval` : "no gates besides approval";
  let next: PromotionStatus = {
    ...s,
    phase: "Evaluating",
    startedAt: s.startedAt ?? stamp(now),
    gates,
    steps: planSteps(
      names,
      (env.spec.notifications ?? []).map((n) => n.name),
    ),
    approvalsRequired: env.spec.approvals?.required ?? 0,
    ...(current && current !== p.spec.release ? { previousRelease: current } : {}),
  };
  next = withCondition(next, "GatesPassed", "Unknown", "Evaluating", msg, now, p.metadata.generation);
  return { status: waiting(next, "Evaluating", msg, now), again: true };
}

/** A rejection ends a promotion that has not started deploying. */
function rejected(p: Promotion, s: PromotionStatus, deps: PromotionDeps, now: number): PromotionStatus {
  const ns = p.metadata.namespace ?? "default";
  const env = deps.environment(ns, p.spec.environment);
  const release = deps.release(ns, p.spec.release);
  const bound = env && release ? approvalBinding(release, env) : undefined;
  const count = countApprovals(s.approvals ?? [], env?.spec.approvals, p.spec.requestedBy?.username, bound);
  const msg = rejectionMessage(count.rejection!);
  const t = stamp(now);
  let next: PromotionStatus = { ...s, phase: s.phase ?? "Pending" };
  const inputs = { rejectedBy: count.rejection!.user.username, approvedBy: count.approvers, required: count.required };
  next.gates = (next.gates ?? []).map((g) =>
    g.name === APPROVAL_GATE ? { ...g, verdict: "Failed" as const, message: msg, inputs, evaluatedAt: t } : g,
  );
  if (findStep(next.steps, Steps.approval)) next.steps = finishStep(next.steps ?? [], Steps.approval, "Failed", t, msg);
  next = withCondition(next, "Approved", "False", "Rejected", msg, now, p.metadata.generation);
  return ended(next, "Rejected", "Rejected", msg, now);
}

/** spec.abort: abort the running deployment and wait for it, or end at once. */
async function abort(p: Promotion, s: PromotionStatus, deps: PromotionDeps, now: number): Promise<Pass> {
  const ns = p.metadata.namespace ?? "default";
  const phase = s.phase ?? "Pending";
  const name = s.deployment ?? (phase === "Deploying" ? p.metadata.name : undefined);
  // The cache may not show a deployment created a moment ago: ask the apiserver before declaring none.
  const d = name ? (deps.deployment(ns, name) ?? (await deps.readDeployment(ns, name))) : undefined;
  const ours = d && isOwnedBy(d, p) ? d : undefined;
  const gen = p.metadata.generation;
  if (ours && !DEPLOYMENT_TERMINAL_PHASES.includes(ours.status?.phase ?? "Pending")) {
    if (!ours.spec.abort) await deps.abortDeployment(ns, name!);
    const msg = `aborting: deployment ${name} is stopping${ours.status?.previousRelease ? ` and going back to ${ours.status.previousRelease}` : ""}${ours.status?.message ? ` (${ours.status.message})` : ""}`;
    return {
      status: waiting(
        withCondition({ ...s, deployment: name }, "Deployed", "Unknown", "Aborting", msg, now, gen),
        "Aborting",
        msg,
        now,
      ),
      requeueMs: ABORT_POLL_MS,
    };
  }
  let next: PromotionStatus = { ...s, phase };
  let msg = `aborted by request before deploying`;
  if (ours) {
    const dPhase = ours.status?.phase ?? "Pending";
    msg =
      dPhase === "Succeeded"
        ? `aborted by request after deployment ${name} had put release ${p.spec.release} in ${p.spec.environment}; it stays there until a rollback`
        : `aborted by request; deployment ${name} ended ${dPhase}${ours.status?.message ? `: ${ours.status.message}` : ""}`;
    const t = stamp(now);
    if (findStep(next.steps, Steps.deploy)?.phase === "Running")
      next.steps = finishStep(
        next.steps ?? [],
        Steps.deploy,
        dPhase === "Succeeded" ? "Succeeded" : "Failed",
        t,
        `deployment ${name} ${dPhase}`,
      );
    next = withCondition(
      { ...next, deployment: name },
      "Deployed",
      dPhase === "Succeeded" ? "True" : "False",
      dPhase === "Succeeded" ? "DeploymentSucceeded" : "Aborted",
      `deployment ${name} ${dPhase}`,
      now,
      gen,
    );
  }
  return { status: ended(next, "Aborted", "AbortRequested", msg, now) };
}
