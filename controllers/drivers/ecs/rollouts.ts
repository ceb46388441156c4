// The platform's view of Stella's services for target status and `stella describe target`: the
// task definition revision of the PRIMARY deployment, its rolloutState and counts, and the newest
// service event. When the circuit breaker rolled a deployment back, the failed deployment leaves
// the service's deployments once its tasks are gone, so its verdict is kept from the service events
// (ECS keeps the latest 100): the PRIMARY deployment that the breaker started says why it exists.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
import type { Service } from "@aws-sdk/client-ecs";
import type { PlatformRollout, UnitFilter } from "../../../sdk/plugins/driver.ts";
import { UnitLabels } from "../../../sdk/plugins/driver.ts";
import { stellaServices, tagOf, taskDefinition, type EcsContext } from "./observe.ts";

export async function platformRollouts(
  ctx: EcsContext,
  filter?: UnitFilter,
  signal?: AbortSignal,
): Promise<PlatformRollout[]> {
  const services = await stellaServices(ctx, filter, signal);
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
        release: def?.containerDefinitions?.[0]?.dockerLabels?.[UnitLabels.release] ?? "",
        version: String(def?.revision ?? 0),
        ...(primary?.id ? { deployment: primary.id } : {}),
        status: primary?.rolloutState ?? "NONE",
        message: [
          primary?.rolloutStateReason,
          rolledBack ?? (failed ? `rolled back: ${failed.rolloutStateReason}` : undefined),
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
