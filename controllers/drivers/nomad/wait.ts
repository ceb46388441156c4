// Waiting on Nomad with blocking queries: read the job's allocations (and its latest deployment),
// then ask again with `index` so Nomad answers only once something changed.
// https://developer.hashicorp.com/nomad/api-docs#blocking-queries
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";
import type { NomadClient } from "./client.ts";
import type { NomadAlloc, NomadDeployment } from "./job.ts";

/** What a wait step sees. */
export interface JobView {
  allocs: NomadAlloc[];
  deployment: NomadDeployment | null;
}

/** Calls `decide` on each new view until it returns a value; DriverError(Unreachable) after `timeoutMs`. */
export async function waitForJob<T>(
  client: NomadClient,
  id: string,
  decide: (view: JobView) => T | undefined,
  opts: { timeoutMs: number; what: string; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const path = `/job/${encodeURIComponent(id)}`;
  let index = 0;
  for (;;) {
    const allocs = await client.get<NomadAlloc[]>(`${path}/allocations`, { index, wait: "5s", signal: opts.signal });
    const deployment = await client.get<NomadDeployment | null>(`${path}/deployment`, { signal: opts.signal });
    const decided = decide({ allocs: allocs.body ?? [], deployment: deployment.body });
    if (decided !== undefined) return decided;
    if (Date.now() > deadline)
      throw new DriverError(DriverReasons.ApplyFailed, `timed out waiting for ${opts.what}`, true);
    index = Math.max(allocs.index, deployment.index);
  }
}
