// Which release a canary moves traffic from, fixed in status.stableRelease on its first pass:
// spec.stableRelease when given, else whichever landed last in the environment for this
// component: the environment's current release (from its deployments) or the release of the
// newest canary that succeeded there (a canary makes its release stable without a Deployment).
import type { Canary } from "../../crds/canary.ts";
import type { Environment } from "../../crds/environment.ts";

/** The stable release of `canary`, or undefined when the environment has none yet. */
export function stableReleaseOf(
  canary: Canary,
  environment: Environment | undefined,
  canaries: readonly Canary[],
): string | undefined {
  if (canary.status?.stableRelease) return canary.status.stableRelease;
  if (canary.spec.stableRelease) return canary.spec.stableRelease;
  const current = environment?.status?.current;
  let best = current?.release ? { release: current.release, at: Date.parse(current.deployedAt ?? "") || 0 } : undefined;
  for (const c of canaries) {
    if (c.metadata.uid === canary.metadata.uid || c.status?.phase !== "Succeeded") continue;
    if (c.spec.environment !== canary.spec.environment || c.spec.component !== canary.spec.component) continue;
    const at = Date.parse(c.status.completedAt ?? "") || 0;
    if (!best || at > best.at) best = { release: c.spec.release, at };
  }
  return best?.release;
}
