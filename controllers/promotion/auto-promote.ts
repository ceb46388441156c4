// Auto-promotion: an environment with spec.promotion.autoPromote gets a Promotion, without a
// request, for the newest release that has landed in all of its upstream environments (through a
// Deployment, or a standalone Canary that succeeded, as the environment's history counts). Only
// landings of their own count (a rollback upstream to an older release promotes nothing), and
// "newest" is by the time the release became eligible: its first landing in the last upstream
// environment to get it. Nothing is created for a release the environment already ran, or one that
// already has a promotion into it under any name: the promotion is made once. Its gates (soak,
// approvals, freeze) then apply as to any promotion.
import { createHash } from "node:crypto";
import type { Canary } from "../../crds/canary.ts";
import type { Deployment } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { Promotion } from "../../crds/promotion.ts";
import { releaseHistory } from "../../sdk/release-history.ts";
import { labelValue } from "./evidence.ts";

/** The label marking promotions made by auto-promotion. */
export const AUTO_PROMOTED_LABEL = "stella.io/auto-promoted";

/**
 * The name of the auto-promotion of `release` into `environment`: `<release>-to-<environment>`, shortened with a hash
 * past 253 characters.
 */
export function autoPromotionName(release: string, environment: string): string {
  const name = `${release}-to-${environment}`;
  if (name.length <= 253) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 10);
  return `${name.slice(0, 242).replace(/[.-]+$/, "")}-${hash}`;
}

/**
 * The release `env` should be auto-promoted to now, if any. `deploymentsOf` and `canariesOf` read
 * one environment's Deployments and Canaries.
 */
export function autoPromotionCandidate(
  env: Environment,
  deploymentsOf: (environment: string) => Deployment[],
  promotions: readonly Promotion[],
  canariesOf: (environment: string) => Canary[] = () => [],
): { release: string; eligibleAt: string; upstream: string[] } | undefined {
  const upstream = env.spec.upstream ?? [];
  if (!env.spec.promotion?.autoPromote || upstream.length === 0) return undefined;
  let eligible: Map<string, number> | undefined;
  for (const up of upstream) {
    const firstLanding = new Map<string, number>();
    for (const r of releaseHistory(deploymentsOf(up), canariesOf(up)).history) {
      if (r.rollback || !r.deployedAt) continue;
      const t = Date.parse(r.deployedAt);
      firstLanding.set(r.release, Math.min(firstLanding.get(r.release) ?? Infinity, t));
    }
    eligible =
      eligible === undefined
        ? firstLanding
        : new Map(
            [...eligible]
              .filter(([rel]) => firstLanding.has(rel))
              .map(([rel, t]) => [rel, Math.max(t, firstLanding.get(rel)!)]),
          );
  }
  const newest = [...(eligible ?? [])].sort(([ra, ta], [rb, tb]) => tb - ta || (ra < rb ? 1 : -1))[0];
  if (!newest) return undefined;
  const [release, at] = newest;
  const name = env.metadata.name ?? "";
  if (releaseHistory(deploymentsOf(name), canariesOf(name)).history.some((r) => r.release === release))
    return undefined;
  if (promotions.some((p) => p.spec.release === release && p.spec.environment === name)) return undefined;
  return { release, eligibleAt: new Date(at).toISOString(), upstream };
}

/**
 * The Promotion auto-promotion creates for `candidate` in `env` (requestedBy is set by the server from the controller's
 * token).
 */
export function autoPromotion(
  env: Environment,
  candidate: { release: string; eligibleAt: string; upstream: string[] },
): Promotion {
  const name = env.metadata.name ?? "";
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: {
      name: autoPromotionName(candidate.release, name),
      namespace: env.metadata.namespace,
      labels: {
        [AUTO_PROMOTED_LABEL]: "true",
        "stella.io/release": labelValue(candidate.release),
        "stella.io/environment": labelValue(name),
      },
    },
    spec: {
      release: candidate.release,
      environment: name,
      reason: `auto-promotion: release ${candidate.release} succeeded in ${candidate.upstream.join(", ")} (eligible since ${candidate.eligibleAt})`,
    },
  };
}
