// Stella's two slots on ECS's own blue/green deployments: a release in the other slot than the one
// a component's service runs is an UpdateService with deploymentConfiguration.strategy BLUE_GREEN
// and a PAUSE lifecycle hook at POST_SCALE_UP, so ECS starts the green revision's tasks beside the
// blue ones and waits there while Stella judges them. Removing the blue units promotes
// (ContinueServiceDeployment CONTINUE: ECS moves on, bakes, cleans blue up); removing the green ones
// reverts (ContinueServiceDeployment ROLLBACK at the hook, StopServiceDeployment ROLLBACK before or
// after it). bakeTimeInMinutes is 0: Stella's scaleDownDelay is the bake — the deployment controller
// keeps the blue units that long before it removes them, and all that time ECS holds the deployment
// at the hook, where a rollback is immediate. The deployment circuit breaker stays on.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type DeploymentConfiguration,
  type Service,
  type ServiceDeployment,
} from "@aws-sdk/client-ecs";
import { call } from "./client.ts";
import type { EcsContext } from "./observe.ts";

/** How long ECS holds a green revision at the hook before its timeout action (ROLLBACK): its maximum, a day. */
const HOOK_TIMEOUT_MINUTES = 1440;

/** The deployment configuration of a release into the other slot. */
export const blueGreenConfiguration = (): DeploymentConfiguration => ({
  strategy: "BLUE_GREEN",
  bakeTimeInMinutes: 0,
  // A green revision whose tasks keep failing is rolled back by ECS itself, even when Stella's
  // rollback finds no green task to remove (ECS had just stopped one and not yet started the next).
  deploymentCircuitBreaker: { enable: true, rollback: true },
  lifecycleHooks: [
    {
      targetType: "PAUSE",
      lifecycleStages: ["POST_SCALE_UP"],
      timeoutConfiguration: { timeoutInMinutes: HOOK_TIMEOUT_MINUTES, action: "ROLLBACK" },
    },
  ],
});

const ONGOING = new Set(["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"]);

/** Whether a service deployment has not finished. */
export const ongoing = (sd: ServiceDeployment): boolean => ONGOING.has(sd.status ?? "");

/**
 * The service's current service deployment when it is a blue/green one still under way. Only a
 * service running more than one deployment is asked about (one DescribeServiceDeployments call).
 */
export async function blueGreenUnderWay(
  ctx: EcsContext,
  s: Service,
  signal?: AbortSignal,
): Promise<ServiceDeployment | undefined> {
  if (!s.currentServiceDeployment || (s.deployments?.length ?? 0) < 2) return undefined;
  const [sd] = await describeServiceDeployments(ctx, [s.currentServiceDeployment], signal);
  return sd && sd.deploymentConfiguration?.strategy === "BLUE_GREEN" && ongoing(sd) ? sd : undefined;
}

/** Service deployments by ARN, 20 a call. */
export async function describeServiceDeployments(
  ctx: EcsContext,
  arns: readonly string[],
  signal?: AbortSignal,
): Promise<ServiceDeployment[]> {
  const found: ServiceDeployment[] = [];
  for (let i = 0; i < arns.length; i += 20) {
    const out = await call("DescribeServiceDeployments", () =>
      ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns.slice(i, i + 20) }), {
        abortSignal: signal,
      }),
    );
    found.push(...(out.serviceDeployments ?? []));
  }
  return found;
}

/** The PAUSE hook `sd` waits at, if it does. */
export const awaitingHook = (sd: ServiceDeployment) =>
  sd.lifecycleHookDetails?.find((h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION");

/** Promotes green: CONTINUE at the hook. False when the deployment is not at the hook (yet). */
export async function promote(ctx: EcsContext, sd: ServiceDeployment, signal?: AbortSignal): Promise<boolean> {
  const hook = awaitingHook(sd);
  if (!hook || sd.status !== "IN_PROGRESS") return false;
  await call("ContinueServiceDeployment", () =>
    ctx.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: sd.serviceDeploymentArn,
        hookId: hook.hookId,
        action: "CONTINUE",
      }),
      { abortSignal: signal },
    ),
  );
  return true;
}

/** Reverts to blue: ROLLBACK at the hook, or StopServiceDeployment ROLLBACK when it is not there. */
export async function revert(ctx: EcsContext, sd: ServiceDeployment, signal?: AbortSignal): Promise<void> {
  const hook = awaitingHook(sd);
  if (hook && sd.status === "IN_PROGRESS") {
    await call("ContinueServiceDeployment", () =>
      ctx.ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: sd.serviceDeploymentArn,
          hookId: hook.hookId,
          action: "ROLLBACK",
        }),
        { abortSignal: signal },
      ),
    );
  } else if (sd.status === "PENDING" || sd.status === "IN_PROGRESS") {
    await call("StopServiceDeployment", () =>
      ctx.ecs.send(
        new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, stopType: "ROLLBACK" }),
        { abortSignal: signal },
      ),
    );
  }
}
