// The built-in `upstream` gate: the release must have landed (its deployment Succeeded, a
// rollback put it back, or a standalone canary of it succeeded) in every environment the target
// environment lists in spec.upstream.
// It waits (Pending) while a release has not landed somewhere yet; it never fails, since a
// release may still be deployed upstream later.
import type { Deployment } from "../../../crds/deployment.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { latestAttempt, stintsOf } from "../landings.ts";

/** How often a waiting upstream gate is asked again besides deployment events. */
export const UPSTREAM_RETRY_MS = 30_000;

/** The upstream gate. */
export const upstreamGate: Gate = {
  type: "upstream",
  async evaluate(req: GateRequest): Promise<GateResult> {
    const release = req.promotion.spec.release;
    const upstream = req.environment.spec.upstream ?? [];
    const found: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const env of upstream) {
      const deps = req.deployments(env);
      const [newest] = stintsOf(deps, release, req.canaries?.(env));
      if (newest) {
        const by = newest.canary ? { canary: newest.canary } : { deployment: newest.deployment };
        found[env] = { ...by, deployedAt: new Date(newest.deployedAt).toISOString() };
        continue;
      }
      found[env] = null;
      missing.push(`${env} (${notYet(deps, release, env, req.environments.has(env))})`);
    }
    const inputs = { release, upstream, landed: found };
    if (upstream.length === 0)
      return {
        verdict: "Passed",
        message: `environment ${req.environment.metadata.name} has no upstream environments`,
        inputs,
      };
    if (missing.length === 0)
      return { verdict: "Passed", message: `release ${release} succeeded in ${upstream.join(", ")}`, inputs };
    return {
      verdict: "Pending",
      message: `release ${release} has not succeeded yet in ${missing.join("; ")}`,
      inputs,
      retryAfterMs: UPSTREAM_RETRY_MS,
    };
  },
};

function notYet(deps: readonly Deployment[], release: string, env: string, exists: boolean): string {
  if (!exists) return `environment ${env} not found`;
  const last = latestAttempt(deps, release);
  if (!last) return `no deployment of ${release} there`;
  const phase = last.status?.phase ?? "Pending";
  return `deployment ${last.metadata.name} is ${phase}${last.status?.message && phase !== "Pending" ? `: ${last.status.message}` : ""}`;
}
