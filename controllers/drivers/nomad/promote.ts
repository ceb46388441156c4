// Promoting a Nomad deployment's canaries (Stella's cut-over to the other slot): Nomad promotes only
// healthy canaries, so this waits (blocking queries) until they are, or one is judged unhealthy,
// which the promote then reports. Removing the old version's allocations promotes their job
// (remove.ts); promoteRelease promotes every job in a scope whose canaries run a release, for the
// scale-down, whose old allocations may already be gone (one that stopped on its own is not
// observed, so never removed, and the deployment would wait for a promotion that never comes).
// https://developer.hashicorp.com/nomad/api-docs/deployments#promote-deployment
import { DriverError, DriverReasons, UnitLabels, type UnitFilter } from "../../../sdk/plugins/driver.ts";
import { NomadApiError, type NomadClient } from "./client.ts";
import type { NomadDeployment } from "./job.ts";
import { jobState, stellaJobs } from "./observe.ts";
import { metaKey } from "./render.ts";
import { waitForJob } from "./wait.ts";

const PROMOTE_TIMEOUT_MS = 2 * 60_000;

/** Promotes deployment `deploymentId` of job `id` once the allocations `canaries` are healthy. */
export async function promoteCanaries(
  client: NomadClient,
  id: string,
  deploymentId: string,
  canaries: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<void> {
  await waitForJob(
    client,
    id,
    (v) => {
      const health = v.allocs.filter((a) => canaries.has(a.ID)).map((a) => a.DeploymentStatus?.Healthy);
      return health.every((h) => h === true) || health.some((h) => h === false) ? true : undefined;
    },
    { timeoutMs: PROMOTE_TIMEOUT_MS, what: `the canaries of job ${id} to be healthy before promoting`, signal },
  );
  try {
    await client.write(
      "POST",
      `/deployment/promote/${deploymentId}`,
      { DeploymentID: deploymentId, All: true },
      undefined,
      signal,
    );
  } catch (err) {
    if (err instanceof NomadApiError && err.status === 400) {
      throw new DriverError(
        DriverReasons.ApplyFailed,
        `cannot promote deployment ${deploymentId} of job ${id} yet: ${err.body}`,
        true,
      );
    }
    throw err;
  }
}

/** Promotes every running, unpromoted deployment in the scope whose job version runs `filter.release`. */
export async function promoteRelease(
  client: NomadClient,
  filter: UnitFilter & { release: string },
  signal?: AbortSignal,
): Promise<void> {
  const release = metaKey(UnitLabels.release);
  // The job list's meta first, so only a job of this release is read (job, allocations,
  // deployment); the job read says it again, in case it was registered anew in between.
  for (const stub of await stellaJobs(client, filter, signal)) {
    if (stub.Meta?.[release] !== filter.release) continue;
    const state = await jobState(client, stub.ID, signal);
    if (!state || state.job.Stop || state.job.Meta[release] !== filter.release) continue;
    const path = `/job/${encodeURIComponent(stub.ID)}/deployment`;
    const { body: d } = await client.get<NomadDeployment | null>(path, { signal });
    const waiting = Object.values(d?.TaskGroups ?? {}).some((g) => g.DesiredCanaries > 0 && !g.Promoted);
    if (!d || d.Status !== "running" || d.JobVersion !== state.job.Version || !waiting) continue;
    const canaries = state.allocs.filter((a) => a.JobVersion === d.JobVersion).map((a) => a.ID);
    await promoteCanaries(client, stub.ID, d.ID, new Set(canaries), signal);
  }
}
