// Drift: a job changed outside Stella. At register, Stella stores in the job's meta a fingerprint
// of what decides what runs (per group: count, image, command, env names, ports; datacenters);
// observe computes it again from the job Nomad holds now. Env values are left out so the meta
// never carries anything derived from a Secret. A revert (Nomad's or Stella's) copies the meta with
// the spec, so it is not drift.
import { createHash } from "node:crypto";
import { stableJson } from "../../engine/index.ts";
import { FINGERPRINT } from "./render.ts";
import type { NomadJob } from "./job.ts";

/** The fingerprint of a job as Nomad holds it (or as Stella registers it). */
export function fingerprint(job: NomadJob): string {
  const shape = {
    datacenters: job.Datacenters,
    groups: [...job.TaskGroups]
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((g) => ({
        name: g.Name,
        count: g.Count,
        ports: (g.Networks ?? []).flatMap((n) => n.ReservedPorts ?? []).map((p) => `${p.Label}=${p.Value}`),
        tasks: g.Tasks.map((t) => ({
          image: t.Config.image,
          entrypoint: t.Config.entrypoint,
          args: t.Config.args,
          env: Object.keys(t.Env ?? {}).sort(),
        })),
      })),
  };
  return `sha256:${createHash("sha256").update(stableJson(shape)).digest("hex")}`;
}

/** What differs from what Stella registered, or undefined when nothing does. */
export function driftOf(job: NomadJob): string | undefined {
  if (job.Stop) return `job ${job.ID} was stopped outside Stella`;
  const recorded = job.Meta?.[FINGERPRINT];
  if (!recorded) return undefined;
  if (fingerprint(job) !== recorded)
    return `job ${job.ID} version ${job.Version} was changed outside Stella (images, counts, ports or env differ)`;
  return undefined;
}
