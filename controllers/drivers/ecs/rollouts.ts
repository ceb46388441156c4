// The platform's view of Stella's services for target status and `stella describe target`: the
// task definition revision of the PRIMARY deployment, its rolloutState and counts, and the newest
// service event (the circuit breaker's verdict shows there).
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
      const event = s.events?.[0]?.message;
      const failed = (s.deployments ?? []).find((d) => d.rolloutState === "FAILED");
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
          failed && failed !== primary ? `rolled back: ${failed.rolloutStateReason}` : undefined,
          event,
        ]
          .filter(Boolean)
          .join("; "),
        desired: primary?.desiredCount ?? 0,
        healthy: primary?.runningCount ?? 0,
        unhealthy: primary?.failedTasks ?? 0,
      };
    }),
  );
}
