// When a release ran in an environment, from that environment's Deployments and standalone
// Canaries (the same derivation as the environment's status.history, sdk/release-history.ts). A stint is
// one uninterrupted run: from the landing (deployedAt) until another release replaced it
// (replacedAt), or until now while it is still current. The upstream and soak gates read these.
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import { canaryLandedAt, releaseHistory } from "../../sdk/release-history.ts";

/** One uninterrupted run of a release in an environment. */
export interface Stint {
  /** The deployment that landed it. */
  deployment?: string;
  /** The standalone canary that landed it, when no deployment did. */
  canary?: string;
  deployedAt: number;
  /** When another release replaced it; absent while it is current. */
  replacedAt?: number;
  /** It landed by a rollback. */
  rollback?: boolean;
}

/** The time a deployment landed a release (its success, or its completed rollback), if it did. */
export function landedAt(d: Deployment): number | undefined {
  const s = d.status ?? {};
  const iso =
    s.phase === "Succeeded"
      ? s.completedAt
      : s.phase === "RolledBack" || s.phase === "Aborted"
        ? s.rollback?.completedAt
        : undefined;
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** The release a landed deployment put in place. */
const landedRelease = (d: Deployment): string =>
  d.status?.phase === "Succeeded" ? d.spec.release : (d.status?.rollback?.release ?? "");

/**
 * The stints of `release`, newest first, among `deployments` and standalone `canaries` (those of
 * one environment). Only the landings at or after the release's first landing are considered, so the
 * history's bound (HISTORY_LIMIT) cuts only releases that were replaced that many times since.
 */
export function stintsOf(
  deployments: readonly Deployment[],
  release: string,
  canaries: readonly Canary[] = [],
): Stint[] {
  const first = Math.min(
    ...deployments.filter((d) => landedRelease(d) === release).map((d) => landedAt(d) ?? Infinity),
    ...canaries.filter((c) => c.spec.release === release).map((c) => canaryLandedAt(c) ?? Infinity),
  );
  if (!Number.isFinite(first)) return [];
  const relevant = deployments.filter((d) => (landedAt(d) ?? -Infinity) >= first);
  const relevantCanaries = canaries.filter((c) => (canaryLandedAt(c) ?? -Infinity) >= first);
  return releaseHistory(relevant, relevantCanaries)
    .history.filter((r) => r.release === release && r.deployedAt !== undefined)
    .map((r) => ({
      deployedAt: Date.parse(r.deployedAt!),
      ...(r.deployment ? { deployment: r.deployment } : {}),
      ...(r.canary ? { canary: r.canary } : {}),
      ...(r.replacedAt ? { replacedAt: Date.parse(r.replacedAt) } : {}),
      ...(r.rollback ? { rollback: true } : {}),
    }));
}

/** How long a stint has run at `now`. */
export const ranFor = (s: Stint, now: number): number => Math.max(0, (s.replacedAt ?? now) - s.deployedAt);

/** The newest deployment of `release` among `deployments`, landed or not (for "why not yet" messages). */
export function latestAttempt(deployments: readonly Deployment[], release: string): Deployment | undefined {
  const created = (d: Deployment) => Date.parse(d.metadata.creationTimestamp ?? "") || 0;
  return deployments
    .filter((d) => d.spec.release === release)
    .sort((a, b) => created(b) - created(a) || ((b.metadata.name ?? "") < (a.metadata.name ?? "") ? -1 : 1))[0];
}
