// The platform's view of Stella's services for target status and `stella describe target`: the
// task definition revision of the PRIMARY deployment, its rolloutState and counts, and the newest
// service event. When the circuit breaker rolled a deployment back, the failed deployment leaves
// the service's deployments once its tasks are gone, so its verdict is kept from the service events
// (ECS keeps the latest 100): the PRIMARY deployment that the breaker started says why it exists.
// The service's current service deployment (one DescribeServiceDeployments per 20 services) adds
// where a blue/green deployment stands (its lifecycle stage, a hook awaiting action) or why it was
// rolled back.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
import type { Service, ServiceDeployment } from "@aws-sdk/client-ecs";
import type { PlatformRollout, UnitFilter } from "../../../sdk/plugins/driver.ts";
import { UnitLabels } from "../../../sdk/plugins/driver.ts";
import { awaitingHook, describeServiceDeployments } from "./blue-green.ts";
import { labelOf, stellaServices, tagOf, taskDefinition, type EcsContext } from "./observe.ts";

export async function platformRollouts(
  ctx: EcsContext,
  filter?: UnitFilter,
  signal?: AbortSignal,
): Promise<PlatformRollout[]> {
  const services = await stellaServices(ctx, filter, signal);
  const arns = services.flatMap((s) => (s.currentServiceDeployment ? [s.currentServiceDeployment] : []));
  const sds = new Map(
    (await describeServiceDeployments(ctx, arns, signal)).map((sd) => [sd.serviceDeploymentArn, sd] as const),
  );
  return Promise.all(
    services.map(async (s): Promise<PlatformRollout> => {
      const primary = s.deployments?.find((d) => d.status === "PRIMARY");
      const def = primary?.taskDefinition ? await taskDefinition(ctx, primary.taskDefinition, signal) : undefined;
      const failed = (s.deployments ?? []).find((d) => d.rolloutState === "FAILED" && d !== primary);
      const rolledBack = primary?.id ? rollbackVerdict(s, primary.id) : undefined;
      return {
        id: s.serviceName!,
        namespace: tagOf(s, UnitLabels.namespace),
        environment: tagOf(s, UnitLabels.environment),
        release: labelOf(def, UnitLabels.release) ?? "",
        version: String(def?.revision ?? 0),
        ...(primary?.id ? { deployment: primary.id } : {}),
        status: primary?.rolloutState ?? "NONE",
        message: [
          primary?.rolloutStateReason,
          rolledBack ?? (failed ? `rolled back: ${failed.rolloutStateReason}` : undefined),
          serviceDeploymentNote(sds.get(s.currentServiceDeployment ?? "")),
          s.events?.[0]?.message,
        ]
          .filter((m, i, all) => m && all.indexOf(m) === i)
          .join("; "),
        desired: primary?.desiredCount ?? 0,
        healthy: primary?.runningCount ?? 0,
        unhealthy: primary?.failedTasks ?? 0,
      };
    }),
  );
}

/**
 * Why the circuit breaker started deployment `id`, from the service events (newest first): the
 * `rolling back to deployment <id>` event and the `deployment failed` event just before it.
 */
export function rollbackVerdict(s: Pick<Service, "events">, id: string): string | undefined {
  const events = s.events ?? [];
  const at = events.findIndex((e) => e.message?.includes(`rolling back to deployment ${id}`));
  if (at < 0) return undefined;
  const verdict = events.slice(at + 1).find((e) => /deployment failed/.test(e.message ?? ""));
  return `rolled back by the deployment circuit breaker: ${verdict?.message ?? events[at].message}`;
}

/** Where a service deployment stands, when there is more to say than the PRIMARY deployment does. */
export function serviceDeploymentNote(sd: ServiceDeployment | undefined): string | undefined {
  if (!sd || sd.status === "SUCCESSFUL") return undefined;
  const blueGreen = sd.deploymentConfiguration?.strategy === "BLUE_GREEN";
  const what = `${blueGreen ? "blue/green " : ""}service deployment ${sd.status}`;
  if (sd.status === "IN_PROGRESS" || sd.status === "PENDING") {
    const hook = awaitingHook(sd);
    const stage = sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : "";
    return `${what}${stage}${hook ? ": its PAUSE hook awaits Stella's verdict" : ""}`;
  }
  const why = sd.rollback?.reason ?? sd.statusReason;
  return why ? `${what}: ${why}` : what;
}
