// Units from Nomad: every live allocation of a job Stella registered, labelled from the meta of
// the job version it runs (release, slot, artifact) and of its group (component, ports). Old and
// new versions run side by side during a canary deployment; each shows in its own slot. A running
// unit's `host` is where Nomad bound its first port (one allocation read each, remembered: an
// allocation never moves).
import { MANAGED_BY, UnitLabels, type ObservedUnit, type UnitFilter } from "../../../sdk/plugins/driver.ts";
import { parsePorts } from "../../engine/index.ts";
import type { NomadClient } from "./client.ts";
import { isNotFound } from "./client.ts";
import { isLive, type NomadAlloc, type NomadAllocPlacement, type NomadJob, type NomadJobStub } from "./job.ts";
import { metaKey } from "./render.ts";

const m = (meta: Record<string, string> | undefined, label: string): string => meta?.[metaKey(label)] ?? "";

/** Stella's jobs that match the filter's scope (namespace, environment, target). */
export async function stellaJobs(
  client: NomadClient,
  filter: UnitFilter = {},
  signal?: AbortSignal,
): Promise<NomadJobStub[]> {
  const { body } = await client.get<NomadJobStub[]>("/jobs", { query: { prefix: "stella-", meta: "true" }, signal });
  return (body ?? []).filter((j) => {
    const meta = j.Meta;
    if (m(meta, UnitLabels.managedBy) !== MANAGED_BY) return false;
    if (filter.namespace && m(meta, UnitLabels.namespace) !== filter.namespace) return false;
    if (filter.environment && m(meta, UnitLabels.environment) !== filter.environment) return false;
    return !filter.target || m(meta, UnitLabels.target) === filter.target;
  });
}

/** A job with its live allocations and the versions they run. */
export interface JobState {
  job: NomadJob;
  allocs: NomadAlloc[];
  versions: Map<number, NomadJob>;
}

/** The job `id` with its live allocations; undefined when Nomad has no such job. */
export async function jobState(client: NomadClient, id: string, signal?: AbortSignal): Promise<JobState | undefined> {
  try {
    const [{ body: job }, { body: allocs }] = await Promise.all([
      client.get<NomadJob>(`/job/${encodeURIComponent(id)}`, { signal }),
      client.get<NomadAlloc[]>(`/job/${encodeURIComponent(id)}/allocations`, { signal }),
    ]);
    const live = allocs.filter(isLive);
    const versions = new Map([[job.Version ?? 0, job]]);
    if (live.some((a) => !versions.has(a.JobVersion))) {
      const { body } = await client.get<{ Versions: NomadJob[] }>(`/job/${encodeURIComponent(id)}/versions`, {
        signal,
      });
      for (const v of body.Versions) versions.set(v.Version ?? 0, v);
    }
    return { job, allocs: live, versions };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The units of one job's state. */
export function unitsOf(state: JobState): ObservedUnit[] {
  const units: ObservedUnit[] = [];
  for (const a of state.allocs) {
    const version = state.versions.get(a.JobVersion);
    const group = version?.TaskGroups.find((g) => g.Name === a.TaskGroup);
    if (!version || !group) continue;
    const task = Object.values(a.TaskStates ?? {})[0];
    const last = task?.Events?.at(-1);
    const healthy = a.DeploymentStatus?.Healthy;
    units.push({
      id: a.ID,
      name: a.Name,
      namespace: m(version.Meta, UnitLabels.namespace),
      environment: m(version.Meta, UnitLabels.environment),
      release: m(version.Meta, UnitLabels.release),
      deployment: m(version.Meta, UnitLabels.deployment),
      target: m(version.Meta, UnitLabels.target),
      component: m(group.Meta, UnitLabels.component) || group.Name,
      slot: m(version.Meta, UnitLabels.slot) === "green" ? "green" : "blue",
      imageRef: group.Tasks[0]?.Config.image ?? "",
      artifact: m(version.Meta, UnitLabels.artifact) || undefined,
      state: a.ClientStatus,
      running: a.ClientStatus === "running",
      ports: parsePorts(m(group.Meta, UnitLabels.ports)),
      ...(a.ClientStatus !== "running" && last ? { message: `${last.Type}: ${last.DisplayMessage}` } : {}),
      ...(typeof healthy === "boolean" ? { platformHealthy: healthy } : {}),
    });
  }
  return units;
}

const WILDCARD = new Set(["", "0.0.0.0", "::"]);

/** The address an allocation's port `label` answers on, from Nomad's own allocation; undefined if it does not say. */
export function allocHost(alloc: NomadAllocPlacement, label: string): string | undefined {
  const shared = alloc.AllocatedResources?.Shared;
  const port = shared?.Ports?.find((p) => p.Label === label)?.HostIP;
  if (port && !WILDCARD.has(port)) return port;
  const networks = shared?.Networks ?? [];
  const network = networks.find((n) => n.ReservedPorts?.some((p) => p.Label === label)) ?? networks[0];
  return network?.IP && !WILDCARD.has(network.IP) ? network.IP : undefined;
}

const MAX_KNOWN_HOSTS = 4096;

/** Allocation id -> the host of its first port, as Nomad placed it (placement never changes). */
export type AllocHosts = Map<string, string>;

/** Sets `host` on running units, reading each allocation Nomad has not been asked about yet. */
async function withHosts(
  client: NomadClient,
  units: ObservedUnit[],
  known: AllocHosts,
  signal?: AbortSignal,
): Promise<ObservedUnit[]> {
  const ask = units.filter((u) => u.running && u.ports[0] && !known.has(u.id));
  await Promise.all(
    ask.map(async (u) => {
      try {
        const path = `/allocation/${encodeURIComponent(u.id)}`;
        const { body } = await client.get<NomadAllocPlacement>(path, { signal });
        const host = allocHost(body, u.ports[0].name);
        if (host) known.set(u.id, host);
      } catch (err) {
        if (!isNotFound(err)) throw err; // gone since the list: it has no address to route to
      }
    }),
  );
  return units.map((u) => (known.has(u.id) ? { ...u, host: known.get(u.id) } : u));
}

/** Every unit Stella runs on the target that matches `filter`, with `host` when Nomad says it. */
export async function observeJobs(
  client: NomadClient,
  filter: UnitFilter = {},
  signal?: AbortSignal,
  hosts: AllocHosts = new Map(),
): Promise<ObservedUnit[]> {
  const jobs = await stellaJobs(client, filter, signal);
  const states = await Promise.all(jobs.map((j) => jobState(client, j.ID, signal)));
  const units = states
    .flatMap((s) => (s ? unitsOf(s) : []))
    .filter(
      (u) =>
        (!filter.release || u.release === filter.release) &&
        (!filter.deployment || u.deployment === filter.deployment) &&
        (!filter.slot || u.slot === filter.slot),
    );
  if (hosts.size > MAX_KNOWN_HOSTS) hosts.clear(); // bounded: forgotten ones are read again
  return withHosts(client, units, hosts, signal);
}
