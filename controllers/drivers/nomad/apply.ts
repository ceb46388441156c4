// Making a unit set run on Nomad, idempotently: a job whose current version was registered from
// the same artifact is left alone; otherwise the job is registered again and Nomad rolls it out by
// its update block. A set in the slot the running allocations already use (same static ports)
// stops them first, as a stop-then-start; a set in the other slot starts as canaries beside them.
// Secrets are read before anything is registered, so a missing one changes nothing. apply returns
// once every group's new allocation runs; an image Nomad cannot pull fails it (ImagePullFailed)
// and takes back what it registered.
import { artifactDigest } from "../../../crds/artifact.ts";
import {
  DriverError,
  DriverReasons,
  UnitLabels,
  type ApplyContext,
  type DesiredUnit,
  type ObservedUnit,
  type UnitEnv,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { secretReference } from "../../engine/index.ts";
import type { NomadClient } from "./client.ts";
import { fingerprint } from "./drift.ts";
import type { NomadAlloc } from "./job.ts";
import { jobState, observeJobs, unitsOf, type AllocHosts } from "./observe.ts";
import { FINGERPRINT, metaKey, renderJob, renderJobArtifact, type JobPlacement } from "./render.ts";
import { waitForJob } from "./wait.ts";

const APPLY_TIMEOUT_MS = 5 * 60_000;
const terminal = (a: NomadAlloc) =>
  a.ClientStatus === "complete" || a.ClientStatus === "failed" || a.ClientStatus === "lost";

/** Registers `set`'s job unless it runs already; resolves with the set's units as observed. */
export async function applyJob(
  client: NomadClient,
  placement: JobPlacement,
  set: UnitSet,
  ctx: ApplyContext,
  hosts?: AllocHosts,
): Promise<ObservedUnit[]> {
  const secrets = await resolveSecrets(set.units, ctx);
  const digest = artifactDigest(renderJobArtifact(set, placement).content);
  const job = renderJob(set, placement, (env) => envValue(env, secrets));
  job.Meta[metaKey(UnitLabels.artifact)] = digest;
  job.Meta[metaKey(UnitLabels.deployment)] = set.deployment;
  job.Meta[FINGERPRINT] = fingerprint(job);
  const path = `/job/${encodeURIComponent(job.ID)}`;
  const state = await jobState(client, job.ID, ctx.signal);
  const current = state && !state.job.Stop ? state : undefined;
  let version = current?.job.Version;
  if (current?.job.Meta?.[metaKey(UnitLabels.artifact)] !== digest) {
    const sameSlot = current
      ? unitsOf(current)
          .filter((u) => u.slot === set.slot)
          .map((u) => u.id)
      : [];
    if (sameSlot.length) {
      ctx.progress?.(`stopping job ${job.ID} before replacing it in slot ${set.slot}`);
      await client.write("DELETE", path, undefined, undefined, ctx.signal);
      await waitForJob(
        client,
        job.ID,
        (v) => (v.allocs.filter((a) => sameSlot.includes(a.ID)).every(terminal) ? true : undefined),
        { timeoutMs: APPLY_TIMEOUT_MS, what: `job ${job.ID} to stop`, signal: ctx.signal },
      );
    }
    ctx.progress?.(`registering job ${job.ID} (release ${set.release}, slot ${set.slot})`);
    await client.write("POST", "/jobs", { Job: job }, undefined, ctx.signal);
    version = (await client.get<{ Version: number }>(path, { signal: ctx.signal })).body.Version;
  }
  const hadOthers = !!current && unitsOf(current).some((u) => u.slot !== set.slot);
  await waitRunning(client, job.ID, version ?? 0, set, hadOthers, ctx);
  const components = new Set(set.units.map((u) => u.component));
  const scope = { namespace: set.namespace, environment: set.environment, target: set.target, slot: set.slot };
  return (await observeJobs(client, scope, ctx.signal, hosts)).filter((u) => components.has(u.component));
}

/** Waits until each group of `version` has a running allocation; a failed one fails the apply. */
async function waitRunning(
  client: NomadClient,
  id: string,
  version: number,
  set: UnitSet,
  hadOthers: boolean,
  ctx: ApplyContext,
): Promise<void> {
  const groups = set.units.map((u) => u.component);
  const failure = await waitForJob(
    client,
    id,
    ({ allocs, deployment }) => {
      const mine = allocs.filter((a) => a.JobVersion === version && a.DesiredStatus === "run");
      const failed = mine.find((a) => a.ClientStatus === "failed");
      if (failed) return { alloc: failed };
      if (deployment?.JobVersion === version && deployment.Status === "failed")
        return { description: deployment.StatusDescription };
      if (groups.every((g) => mine.some((a) => a.TaskGroup === g && a.ClientStatus === "running"))) return null;
      return undefined;
    },
    { timeoutMs: APPLY_TIMEOUT_MS, what: `the allocations of job ${id} version ${version} to run`, signal: ctx.signal },
  );
  if (!failure) return;
  const events = Object.values(failure.alloc?.TaskStates ?? {}).flatMap((t) => t.Events ?? []);
  const last = events.at(-1);
  const pull = events.find((e) => e.Type === "Driver Failure" && /pull/i.test(e.DisplayMessage));
  const message =
    pull?.DisplayMessage ??
    (last ? `${last.Type}: ${last.DisplayMessage}` : (failure.description ?? "deployment failed"));
  // Take back what this apply started: the whole job when nothing else of it ran, else Nomad's revert.
  if (!hadOthers)
    await client.write("DELETE", `/job/${encodeURIComponent(id)}`, undefined, { purge: "true" }, ctx.signal);
  else await failDeployment(client, id, ctx.signal);
  throw new DriverError(
    pull ? DriverReasons.ImagePullFailed : DriverReasons.ApplyFailed,
    `job ${id}: ${message}`,
    false,
  );
}

/** Fails the job's running deployment (auto_revert then restores the last stable version). */
export async function failDeployment(client: NomadClient, id: string, signal?: AbortSignal): Promise<void> {
  const { body } = await client.get<{ ID: string; Status: string } | null>(
    `/job/${encodeURIComponent(id)}/deployment`,
    { signal },
  );
  if (body?.Status === "running") await client.write("POST", `/deployment/fail/${body.ID}`, {}, undefined, signal);
}

async function resolveSecrets(units: readonly DesiredUnit[], ctx: ApplyContext): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const env of units.flatMap((u) => u.env)) {
    if (env.secretKeyRef && !values.has(secretReference(env.secretKeyRef))) {
      values.set(secretReference(env.secretKeyRef), await ctx.secretValue(env.secretKeyRef));
    }
  }
  return values;
}

const envValue = (env: UnitEnv, secrets: Map<string, string>): string =>
  env.secretKeyRef ? secrets.get(secretReference(env.secretKeyRef))! : (env.value ?? "");
