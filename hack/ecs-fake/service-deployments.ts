// The ECS contract fake's service deployments (API_ServiceDeployment) and the BLUE_GREEN strategy
// of the ECS deployment controller, as the API reference and developer guide describe them:
//  - deploymentConfiguration.strategy BLUE_GREEN needs bakeTimeInMinutes; lifecycleHooks run at
//    lifecycle stages. A PAUSE hook waits for ContinueServiceDeployment (CONTINUE or ROLLBACK) or its
//    timeout (timeoutConfiguration, default 1440 minutes, action ROLLBACK); PAUSE is not allowed at
//    TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT. AWS_LAMBDA hooks (the default targetType) would
//    invoke a Lambda function, which the fake does not have: it refuses them (InvalidParameterException).
//  - the stages, in order: PRE_SCALE_UP, SCALE_UP (the green revision starts its tasks beside the
//    blue one), POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT,
//    POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME (both run for bakeTimeInMinutes), CLEAN_UP (blue scales
//    to 0), then SUCCESSFUL. Services here are headless (no load balancer, Service Connect or VPC
//    Lattice), so no traffic moves in the traffic stages: ECS does not manage that shift for them.
//  - the deployment circuit breaker, when enabled, counts the green revision's failed tasks as in a
//    rolling deployment (max(3, desired/2)) and rolls back (the fake rolls back whether or not
//    `rollback` is set: it keeps no half-failed blue/green deployment);
//  - a rollback (ContinueServiceDeployment ROLLBACK, StopServiceDeployment ROLLBACK, a hook timing
//    out with ROLLBACK, the circuit breaker) goes ROLLBACK_REQUESTED -> ROLLBACK_IN_PROGRESS (the
//    green tasks stop, blue is the service's revision again) -> ROLLBACK_SUCCESSFUL once blue runs
//    its desired count.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
import { randomBytes } from "node:crypto";
import { EcsFault } from "./errors.ts";
import type { DeploymentConfiguration, ServiceDeployment } from "./types.ts";

/** The lifecycle stages of a BLUE_GREEN service deployment, in order (API_ServiceDeployment lifecycleStage). */
export const BLUE_GREEN_STAGES = [
  "PRE_SCALE_UP",
  "SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
  "BAKE_TIME",
  "CLEAN_UP",
] as const;

/** Stages a hook can be configured at (API_DeploymentLifecycleHook lifecycleStages). */
const HOOK_STAGES = new Set([
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRE_PRODUCTION_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
]);
const NO_PAUSE = new Set(["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"]);
const DEFAULT_HOOK_TIMEOUT_MIN = 1440;

/** Refuses what the API reference refuses, and what the fake cannot do (Lambda hooks, LINEAR, CANARY). */
export function validateDeploymentConfiguration(c: DeploymentConfiguration): void {
  const bad = (m: string) => new EcsFault("InvalidParameterException", m);
  const strategy = c.strategy ?? "ROLLING";
  if (strategy !== "ROLLING" && strategy !== "BLUE_GREEN")
    throw bad(`deploymentConfiguration.strategy ${strategy} is not implemented by the ECS contract fake.`);
  if (strategy === "BLUE_GREEN" && typeof c.bakeTimeInMinutes !== "number")
    throw bad("deploymentConfiguration.bakeTimeInMinutes is required for the BLUE_GREEN strategy.");
  if (c.bakeTimeInMinutes !== undefined && (c.bakeTimeInMinutes < 0 || c.bakeTimeInMinutes > 1440))
    throw bad("deploymentConfiguration.bakeTimeInMinutes must be between 0 and 1440.");
  for (const [i, h] of (c.lifecycleHooks ?? []).entries()) {
    const at = `deploymentConfiguration.lifecycleHooks[${i}]`;
    if ((h.targetType ?? "AWS_LAMBDA") === "AWS_LAMBDA")
      throw bad(`${at}: AWS_LAMBDA hooks invoke a Lambda function; the ECS contract fake has none (use PAUSE).`);
    if (h.targetType !== "PAUSE") throw bad(`${at}.targetType must be AWS_LAMBDA or PAUSE.`);
    if (!h.lifecycleStages?.length) throw bad(`${at}.lifecycleStages is required.`);
    for (const stage of h.lifecycleStages) {
      if (!HOOK_STAGES.has(stage)) throw bad(`${at}.lifecycleStages: ${stage} is not a lifecycle stage.`);
      if (NO_PAUSE.has(stage)) throw bad(`${at}: PAUSE hooks cannot be configured at ${stage}.`);
    }
    const action = h.timeoutConfiguration?.action;
    if (action && action !== "CONTINUE" && action !== "ROLLBACK")
      throw bad(`${at}.timeoutConfiguration.action must be CONTINUE or ROLLBACK.`);
  }
}

/**
 * The PAUSE hook of `sd` at its current stage, started if it was not: undefined when none is
 * configured there or the one there has been resolved (SUCCEEDED), else the hook (AWAITING_ACTION,
 * or FAILED/TIMED_OUT once resolved otherwise).
 */
export function pauseAt(
  sd: ServiceDeployment,
  now: number,
): ServiceDeployment["lifecycleHookDetails"][number] | undefined {
  const stage = sd.lifecycleStage ?? "";
  const hook = (sd.deploymentConfiguration.lifecycleHooks ?? []).find(
    (h) => h.targetType === "PAUSE" && h.lifecycleStages?.includes(stage),
  );
  if (!hook) return undefined;
  let detail = sd.lifecycleHookDetails.find((d) => d.stage === stage);
  if (!detail) {
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_HOOK_TIMEOUT_MIN;
    detail = {
      hookId: `ecs-pause-${randomBytes(32).toString("base64url")}`,
      targetType: "PAUSE",
      status: "AWAITING_ACTION",
      expiresAt: now + minutes * 60_000,
      timeoutAction: hook.timeoutConfiguration?.action ?? "ROLLBACK",
      stage,
    };
    sd.lifecycleHookDetails.push(detail);
    sd.updatedAt = now;
  }
  if (detail.status === "AWAITING_ACTION" && now >= detail.expiresAt) detail.status = "TIMED_OUT";
  return detail.status === "SUCCEEDED" || (detail.status === "TIMED_OUT" && detail.timeoutAction === "CONTINUE")
    ? undefined
    : detail;
}

/** Moves `sd` to the stage after its current one. */
export function nextStage(sd: ServiceDeployment, now: number): void {
  const i = BLUE_GREEN_STAGES.indexOf(sd.lifecycleStage as (typeof BLUE_GREEN_STAGES)[number]);
  sd.lifecycleStage = BLUE_GREEN_STAGES[i + 1];
  sd.stageAt = now;
  sd.updatedAt = now;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** A service deployment as the API sends it: timestamps in epoch seconds, the fake's bookkeeping left out. */
export function serviceDeploymentView(sd: ServiceDeployment): Record<string, unknown> {
  const { target: _t, sources: _s, stageAt: _a, lifecycleHookDetails, rollback, ...rest } = sd;
  return {
    ...rest,
    createdAt: seconds(sd.createdAt),
    startedAt: seconds(sd.startedAt),
    updatedAt: seconds(sd.updatedAt),
    ...(sd.finishedAt ? { finishedAt: seconds(sd.finishedAt) } : {}),
    ...(sd.stoppedAt ? { stoppedAt: seconds(sd.stoppedAt) } : {}),
    lifecycleHookDetails: lifecycleHookDetails.map(({ stage: _, ...h }) => ({ ...h, expiresAt: seconds(h.expiresAt) })),
    ...(rollback ? { rollback: { ...rollback, startedAt: seconds(rollback.startedAt) } } : {}),
  };
}
