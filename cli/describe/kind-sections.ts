// Sections `describe` adds for particular kinds, after the generic ones. A kind gets one when a
// person needs something the raw fields do not show at a glance.
import type { StellaObject } from "../../crds/meta.ts";
import type { ResolvedComponent } from "../../crds/release.ts";
import type { TargetStatus } from "../../crds/target.ts";
import { alignColumns } from "../output/columns.ts";

/** Extra lines (a titled section) for an object of a kind, or none. */
export type KindSection = (obj: StellaObject) => string[];

/** Release: each component's image as written and the digest it resolved to. */
const releaseImages: KindSection = (obj) => {
  const spec = (obj.spec ?? {}) as { components?: { name: string; image: string }[] };
  const resolved = ((obj.status ?? {}) as { components?: ResolvedComponent[] }).components ?? [];
  const rows = (spec.components ?? []).map((c) => {
    const r = resolved.find((x) => x.name === c.name);
    return [c.name, c.image, "->", r ? r.imageRef : "(not resolved yet)"];
  });
  if (rows.length === 0) return [];
  return ["Images:", ...alignColumns(rows).map((l) => `  ${l}`)];
};

/**
 * Target on Nomad or ECS: the platform's own view (job version / task definition revision, deployment, health, drift).
 */
const targetRollouts: KindSection = (obj) => {
  const rollouts = ((obj.status ?? {}) as TargetStatus).rollouts ?? [];
  if (rollouts.length === 0) return [];
  const rows = [
    ["ID", "RELEASE", "VERSION", "DEPLOYMENT", "STATUS", "HEALTHY", "MESSAGE"],
    ...rollouts.map((r) => [
      r.id,
      r.release ?? "",
      r.version,
      r.deployment?.slice(0, 8) ?? "",
      r.status,
      `${r.healthy ?? 0}/${r.desired ?? 0}`,
      r.drift ? `DRIFT: ${r.drift}` : (r.message ?? ""),
    ]),
  ];
  return ["Platform rollouts:", ...alignColumns(rows).map((l) => `  ${l}`)];
};

/** Per-kind sections by Kind name. */
export const kindSections: Record<string, KindSection> = { Release: releaseImages, Target: targetRollouts };
