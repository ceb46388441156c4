// Removing units through Nomad's own machinery, per job:
//  - every live allocation of the job goes: the job is purged;
//  - the old version's allocations go while canaries of the new one wait: the deployment is
//    promoted (Nomad stops the old ones) — Stella's cut-over;
//  - the canaries go: the deployment is failed and auto_revert restores the last stable version —
//    Stella's rollback;
//  - otherwise (a component dropped): the job is registered again without those groups.
// Resolves once the removed allocations no longer run; units already gone are ignored.
import type { ObservedUnit } from "../../../sdk/plugins/driver.ts";
import type { NomadClient } from "./client.ts";
import { failDeployment } from "./apply.ts";
import type { NomadDeployment } from "./job.ts";
import { jobId } from "./render.ts";
import { jobState } from "./observe.ts";
import { promoteCanaries } from "./promote.ts";
import { waitForJob } from "./wait.ts";

const REMOVE_TIMEOUT_MS = 2 * 60_000;

export async function removeUnits(
  client: NomadClient,
  units: readonly ObservedUnit[],
  signal?: AbortSignal,
): Promise<void> {
  const byJob = new Map<string, Set<string>>();
  for (const u of units) {
    const id = jobId(u);
    byJob.set(id, (byJob.get(id) ?? new Set()).add(u.id));
  }
  for (const [id, ids] of byJob) await removeFromJob(client, id, ids, signal);
}

async function removeFromJob(client: NomadClient, id: string, ids: Set<string>, signal?: AbortSignal): Promise<void> {
  const state = await jobState(client, id, signal);
  if (!state || state.job.Stop) return;
  const going = state.allocs.filter((a) => ids.has(a.ID));
  if (going.length === 0) return;
  const staying = state.allocs.filter((a) => !ids.has(a.ID));
  const path = `/job/${encodeURIComponent(id)}`;
  if (staying.length === 0) {
    await client.write("DELETE", path, undefined, { purge: "true" }, signal);
    return;
  }
  const { body: deployment } = await client.get<NomadDeployment | null>(`${path}/deployment`, { signal });
  const current = state.job.Version;
  const running = deployment?.Status === "running" && deployment.JobVersion === current ? deployment : undefined;
  if (running && going.every((a) => a.JobVersion !== current) && staying.every((a) => a.JobVersion === current)) {
    await promoteCanaries(client, id, running.ID, new Set(staying.map((a) => a.ID)), signal);
  } else if (going.every((a) => a.JobVersion === current) && staying.every((a) => a.JobVersion !== current)) {
    if (running) await failDeployment(client, id, signal);
    else await revertToVersionOf(client, id, staying[0].JobVersion, signal);
  } else {
    const groups = new Set(going.map((a) => a.TaskGroup));
    const job = { ...state.job, TaskGroups: state.job.TaskGroups.filter((g) => !groups.has(g.Name)) };
    await client.write("POST", "/jobs", { Job: job }, undefined, signal);
  }
  const goingIds = new Set(going.map((a) => a.ID));
  await waitForJob(
    client,
    id,
    (v) => (v.allocs.some((a) => goingIds.has(a.ID) && a.DesiredStatus === "run") ? undefined : true),
    { timeoutMs: REMOVE_TIMEOUT_MS, what: `allocations of job ${id} to stop`, signal },
  );
}

/** Registers an older version's spec again (Nomad's job revert), when no deployment is left to fail. */
async function revertToVersionOf(
  client: NomadClient,
  id: string,
  version: number,
  signal?: AbortSignal,
): Promise<void> {
  await client.write(
    "POST",
    `/job/${encodeURIComponent(id)}/revert`,
    { JobID: id, JobVersion: version },
    undefined,
    signal,
  );
}
