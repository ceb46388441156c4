// The platform's view of Stella's jobs for target status and `stella describe target`: job
// version, the latest deployment with its healthy and desired counts, and drift.
import { UnitLabels, type PlatformRollout, type UnitFilter } from "../../../sdk/plugins/driver.ts";
import type { NomadClient } from "./client.ts";
import { driftOf } from "./drift.ts";
import type { NomadDeployment, NomadJob } from "./job.ts";
import { stellaJobs } from "./observe.ts";
import { metaKey } from "./render.ts";

export async function platformRollouts(
  client: NomadClient,
  filter?: UnitFilter,
  signal?: AbortSignal,
): Promise<PlatformRollout[]> {
  const jobs = await stellaJobs(client, filter, signal);
  return Promise.all(
    jobs.map(async (stub): Promise<PlatformRollout> => {
      const path = `/job/${encodeURIComponent(stub.ID)}`;
      const [{ body: job }, { body: d }] = await Promise.all([
        client.get<NomadJob>(path, { signal }),
        client.get<NomadDeployment | null>(`${path}/deployment`, { signal }),
      ]);
      const groups = Object.values(d?.TaskGroups ?? {});
      const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((n, g) => n + f(g), 0);
      const drift = driftOf(job);
      return {
        id: job.ID,
        namespace: job.Meta[metaKey(UnitLabels.namespace)] ?? "",
        environment: job.Meta[metaKey(UnitLabels.environment)] ?? "",
        release: job.Meta[metaKey(UnitLabels.release)] ?? "",
        version: String(job.Version ?? 0),
        ...(d ? { deployment: d.ID } : {}),
        status: job.Stop ? "dead" : (d?.Status ?? "none"),
        message: d ? `job version ${d.JobVersion}: ${d.StatusDescription}` : "no deployment",
        desired: sum((g) => g.DesiredTotal),
        healthy: sum((g) => g.HealthyAllocs),
        unhealthy: sum((g) => g.UnhealthyAllocs),
        ...(drift ? { drift } : {}),
      };
    }),
  );
}
