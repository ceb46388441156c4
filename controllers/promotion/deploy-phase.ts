// Deploying and Verifying. The deploy step creates one Deployment named after the promotion and
// owned by it (ownerReference controller: true), then follows it to its end. The name is
// deterministic: a controller that crashed after creating it gets AlreadyExists on the next try
// and adopts it, so a promotion never has two. Once status.deployment names it, it is never
// created again: a deployment deleted by hand Errors the promotion instead of deploying twice.
// A freeze window that opened while the promotion waited for approvals holds the deployment until
// it closes: the freeze gate is asked once more before the deployment is created (its recorded
// verdict stays; the hold shows in the deploy step and the message). A deployment already created
// runs to its end. The verify step then waits for the environment to show the landing (verify.ts).
import type { Deployment } from "../../crds/deployment.ts";
import { isAlreadyExists } from "../../crds/errors.ts";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import type { PromotionDeps } from "./deps.ts";
import { promotionLabels } from "./evidence.ts";
import { runGate } from "./gate-runner.ts";
import { deploymentOutcome } from "./outcome.ts";
import type { Pass } from "./pass.ts";
import { ended, stamp, waiting, withCondition } from "./status.ts";
import { findStep, finishStep, startStep, Steps } from "./steps.ts";
import { verifyLanding } from "./verify.ts";

/** How often a running deployment is looked at besides its own events. */
const FOLLOW_MS = 30_000;
/** How often the verify step looks at the environment besides its events. */
const VERIFY_POLL_MS = 2_000;

/** The Deployment promotion `p` creates. */
export function deploymentFor(p: Promotion): Deployment {
  const name = p.metadata.name ?? "";
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: {
      name,
      namespace: p.metadata.namespace,
      labels: promotionLabels(p),
      ownerReferences: [
        {
          apiVersion: "release.stella.io/v1alpha1",
          kind: "Promotion",
          name,
          uid: p.metadata.uid ?? "",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      release: p.spec.release,
      environment: p.spec.environment,
      promotion: name,
      ...(p.spec.rollback ? { rollback: true } : {}),
      ...p.spec.deployment,
    },
  };
}

/** Whether `d` is controlled by promotion `p`. */
export const isOwnedBy = (d: Deployment, p: Promotion): boolean =>
  (d.metadata.ownerReferences ?? []).some(
    (r) => r.kind === "Promotion" && r.controller === true && r.uid === p.metadata.uid,
  );

/** Finds or creates the promotion's Deployment; undefined when status names one that is gone. */
async function ensureDeployment(
  p: Promotion,
  s: PromotionStatus,
  deps: PromotionDeps,
): Promise<Deployment | "gone" | undefined> {
  const ns = p.metadata.namespace ?? "default";
  const name = s.deployment ?? p.metadata.name ?? "";
  const cached = deps.deployment(ns, name);
  if (cached) return cached;
  if (s.deployment) return (await deps.readDeployment(ns, name)) ?? "gone";
  try {
    return await deps.createDeployment(deploymentFor(p));
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return deps.readDeployment(ns, name);
  }
}

/** A freeze window open now, when the deployment is yet to be created and the promotion has a freeze gate. */
async function freezeHold(
  p: Promotion,
  s: PromotionStatus,
  deps: PromotionDeps,
  now: number,
): Promise<{ message: string; retryMs: number } | undefined> {
  const ns = p.metadata.namespace ?? "default";
  if (s.deployment || !s.gates?.some((g) => g.name === "freeze") || deps.deployment(ns, p.metadata.name ?? ""))
    return undefined;
  const env = deps.environment(ns, p.spec.environment);
  const release = deps.release(ns, p.spec.release);
  if (!env || !release) return undefined;
  const environments = new Map(deps.environments(ns).map((e) => [e.metadata.name ?? "", e]));
  const r = await runGate(
    deps.gates.get("freeze"),
    "freeze",
    {
      promotion: p,
      release,
      environment: env,
      environments,
      deployments: (e) => deps.deployments(ns, e),
      canaries: (e) => deps.canaries?.(ns, e) ?? [],
      secretValue: deps.secretValue(ns),
      now: new Date(now),
    },
    deps.limits.pluginTimeoutMs,
  );
  return r.verdict === "Pending"
    ? {
        message: `waiting to deploy: ${r.message}`,
        retryMs: Math.min(r.retryAfterMs ?? deps.limits.pendingRetryMs, 60_000),
      }
    : undefined;
}

/** Deploying: create or adopt the deployment and follow it. */
export async function runDeploy(p: Promotion, s: PromotionStatus, deps: PromotionDeps, now: number): Promise<Pass> {
  const ns = p.metadata.namespace ?? "default";
  const name = s.deployment ?? p.metadata.name ?? "";
  const gen = p.metadata.generation;
  const hold = await freezeHold(p, s, deps, now);
  if (hold) {
    const next = withCondition(
      { ...s, steps: updateMessage(s, Steps.deploy, hold.message) },
      "Deployed",
      "Unknown",
      "Frozen",
      hold.message,
      now,
      gen,
    );
    return { status: waiting(next, "Frozen", `deploy: ${hold.message}`, now), requeueMs: hold.retryMs };
  }
  const d = await ensureDeployment(p, s, deps);
  if (d === undefined)
    return { status: waiting(s, "CreatingDeployment", `creating deployment ${name}`, now), requeueMs: 1000 };
  if (d === "gone") {
    const next = {
      ...withCondition(s, "Deployed", "False", "DeploymentDeleted", `deployment ${name} was deleted`, now, gen),
      steps: finishStep(s.steps ?? [], Steps.deploy, "Failed", stamp(now), `deployment ${name} was deleted`),
    };
    return {
      status: ended(
        next,
        "Errored",
        "DeploymentDeleted",
        `deployment ${name} was deleted while the promotion followed it`,
        now,
      ),
    };
  }
  if (!isOwnedBy(d, p)) {
    const msg = `a deployment named ${name} exists and does not belong to this promotion; delete or rename it, or promote under another name`;
    const next = {
      ...withCondition(s, "Deployed", "False", "DeploymentNameTaken", msg, now, gen),
      steps: finishStep(s.steps ?? [], Steps.deploy, "Failed", stamp(now), msg),
    };
    return { status: ended(next, "Errored", "DeploymentNameTaken", msg, now) };
  }
  let next: PromotionStatus = { ...s, deployment: name };
  const o = deploymentOutcome(
    d,
    (t) => deps.target(ns, t),
    (other) => deps.deployment(ns, other)?.spec.promotion,
  );
  if (o.state === "running") {
    next = withCondition(next, "Deployed", "Unknown", "Deploying", o.message, now, gen);
    next = { ...next, steps: updateMessage(next, Steps.deploy, o.message) };
    return { status: waiting(next, "Deploying", o.message, now), requeueMs: FOLLOW_MS };
  }
  if (o.state === "succeeded") {
    next = withCondition(next, "Deployed", "True", "DeploymentSucceeded", o.message, now, gen);
    next = {
      ...next,
      phase: "Verifying",
      steps: startStep(
        finishStep(next.steps ?? [], Steps.deploy, "Succeeded", stamp(now), o.message),
        Steps.verify,
        stamp(now),
        "waiting for the environment to show the landing",
      ),
    };
    return { status: waiting(next, "Verifying", `${o.message}; verifying`, now), again: true };
  }
  next = withCondition(next, "Deployed", "False", o.reason, o.message, now, gen);
  next = {
    ...next,
    steps: finishStep(
      next.steps ?? [],
      Steps.deploy,
      o.phase === "Aborted" || o.phase === "Superseded" ? "Skipped" : "Failed",
      stamp(now),
      o.message,
    ),
    ...(o.supersededBy ? { supersededBy: o.supersededBy } : {}),
  };
  return { status: ended(next, o.phase, o.reason, o.message, now) };
}

/** Verifying: the environment shows the landing and the units run the release's digests. */
export function runVerify(p: Promotion, s: PromotionStatus, deps: PromotionDeps, now: number): Pass {
  const ns = p.metadata.namespace ?? "default";
  const gen = p.metadata.generation;
  const d = s.deployment ? deps.deployment(ns, s.deployment) : undefined;
  if (!d)
    return {
      status: ended(
        withCondition(
          s,
          "Verified",
          "False",
          "DeploymentNotFound",
          `deployment ${s.deployment ?? "(none)"} not found`,
          now,
          gen,
        ),
        "Errored",
        "DeploymentNotFound",
        `deployment ${s.deployment ?? "(none)"} disappeared before it could be verified`,
        now,
      ),
    };
  const v = verifyLanding(d, deps.environment(ns, p.spec.environment), deps.release(ns, p.spec.release));
  if (v.state === "verified") {
    const next = withCondition(
      { ...s, steps: finishStep(s.steps ?? [], Steps.verify, "Succeeded", stamp(now), v.message) },
      "Verified",
      "True",
      "Verified",
      v.message,
      now,
      gen,
    );
    return {
      status: ended(
        next,
        "Succeeded",
        "Succeeded",
        `release ${p.spec.release} runs in ${p.spec.environment}: ${v.message}`,
        now,
      ),
    };
  }
  if (v.state === "failed") {
    const next = withCondition(
      { ...s, steps: finishStep(s.steps ?? [], Steps.verify, "Failed", stamp(now), v.message) },
      "Verified",
      "False",
      v.reason,
      v.message,
      now,
      gen,
    );
    return { status: ended(next, "Failed", v.reason, v.message, now) };
  }
  const started = Date.parse(findStep(s.steps, Steps.verify)?.startedAt ?? stamp(now));
  const left = started + deps.limits.verifyTimeoutMs - now;
  if (left <= 0) {
    const msg = `${v.message}; gave up after ${Math.round(deps.limits.verifyTimeoutMs / 1000)}s`;
    const next = withCondition(
      { ...s, steps: finishStep(s.steps ?? [], Steps.verify, "Failed", stamp(now), msg) },
      "Verified",
      "False",
      "VerifyTimeout",
      msg,
      now,
      gen,
    );
    return { status: ended(next, "Errored", "VerifyTimeout", msg, now) };
  }
  const next = withCondition(
    { ...s, steps: updateMessage(s, Steps.verify, v.message) },
    "Verified",
    "Unknown",
    "Verifying",
    v.message,
    now,
    gen,
  );
  return { status: waiting(next, "Verifying", v.message, now), requeueMs: Math.min(VERIFY_POLL_MS, left) };
}

function updateMessage(s: PromotionStatus, step: string, message: string) {
  return (s.steps ?? []).map((st) => (st.name === step ? { ...st, message } : st));
}
