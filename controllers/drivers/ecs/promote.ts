// Promoting a blue/green deployment (blue-green.ts) on ECS: CONTINUE at the PAUSE hook once ECS has
// reached it, that is once every green task is healthy. Removing the blue units promotes their
// service (remove.ts); promoteRelease promotes every service in a scope whose green revision runs a
// release, for the scale-down, whose blue units may already be gone (a task that stopped on its own
// is not observed, so never removed, and ECS would hold green at the hook until its timeout rolls
// the service back).
import type { Service, ServiceDeployment } from "@aws-sdk/client-ecs";
import { DriverError, DriverReasons, UnitLabels, type UnitFilter } from "../../../sdk/plugins/driver.ts";
import { awaitingHook, blueGreenUnderWay, describeServiceDeployments, ongoing, promote } from "./blue-green.ts";
import { labelOf, stellaServices, taskDefinition, type EcsContext } from "./observe.ts";

const HOOK_TIMEOUT_MS = 2 * 60_000;
const POLL_MS = 500;

/**
 * Promotes `sd`, the blue/green deployment of `s`, waiting for it to reach its hook. False when it
 * ended meanwhile (ECS rolled it back); a DriverError (transient) when it cannot be promoted.
 */
export async function promoteAtHook(
  ctx: EcsContext,
  s: Service,
  sd: ServiceDeployment,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + HOOK_TIMEOUT_MS;
  while (!awaitingHook(sd) && sd.status === "IN_PROGRESS") {
    if (Date.now() > deadline) {
      const why = `the new revision of ${s.serviceName} has not reached its hook (${sd.lifecycleStage}); promoting later`;
      throw new DriverError(DriverReasons.ApplyFailed, why, true);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    [sd] = await describeServiceDeployments(ctx, [sd.serviceDeploymentArn!], signal);
  }
  if (await promote(ctx, sd, signal)) return true;
  if (!ongoing(sd)) return false;
  const why = `cannot promote the blue/green deployment of ${s.serviceName}: it is ${sd.status}${sd.statusReason ? ` (${sd.statusReason})` : ""}`;
  throw new DriverError(DriverReasons.ApplyFailed, why, true);
}

/** Promotes every blue/green deployment under way in the scope whose new (PRIMARY) revision runs `filter.release`. */
export async function promoteRelease(
  ctx: EcsContext,
  filter: UnitFilter & { release: string },
  signal?: AbortSignal,
): Promise<void> {
  for (const s of await stellaServices(ctx, filter, signal)) {
    // The new revision's release first (task definitions are read once per driver), so only a
    // service rolling out this release costs a DescribeServiceDeployments.
    const primary = s.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition;
    if (!primary) continue;
    if (labelOf(await taskDefinition(ctx, primary, signal), UnitLabels.release) !== filter.release) continue;
    const sd = await blueGreenUnderWay(ctx, s, signal);
    if (sd) await promoteAtHook(ctx, s, sd, signal);
  }
}
