// What a promotion makes of its Deployment. Failed means the release is bad; Errored means the
// infrastructure let it down. A deployment that failed or rolled back while one of its targets is
// unreachable (the target controller's Ready=False) is Errored: the release was never judged. So
// is one that found no targets or could not finish its rollback. Every other failure (a health
// check, the progress deadline, an unresolvable release) is the release's: Failed.
import type { Deployment } from "../../crds/deployment.ts";
import { TargetConditions, type Target } from "../../crds/target.ts";
import { findCondition } from "../runtime/index.ts";

/** Complete-condition reasons of a deployment that point at the infrastructure, not the release. */
export const INFRASTRUCTURE_REASONS: ReadonlySet<string> = new Set([
  "NoTargets",
  "RollbackFailed",
  "ReleaseNotFound",
  "EnvironmentNotFound",
]);

/** Where a promotion's deployment stands. */
export type DeploymentOutcome =
  | { state: "running"; message: string }
  | { state: "succeeded"; message: string }
  | {
      state: "ended";
      phase: "Failed" | "Errored" | "Aborted" | "Superseded";
      reason: string;
      message: string;
      supersededBy?: string;
    };

/**
 * The outcome of deployment `d`. `target` reads a Target (for reachability); `promotionOf` names the
 * promotion of another deployment (the one that superseded `d`).
 */
export function deploymentOutcome(
  d: Deployment,
  target: (name: string) => Target | undefined,
  promotionOf: (deployment: string) => string | undefined,
): DeploymentOutcome {
  const name = d.metadata.name ?? "";
  const s = d.status ?? {};
  const phase = s.phase ?? "Pending";
  const said = s.message ? `: ${s.message}` : "";
  switch (phase) {
    case "Pending":
    case "Progressing":
    case "Paused":
      return { state: "running", message: `deployment ${name} is ${phase}${said}` };
    case "Succeeded":
      return { state: "succeeded", message: `deployment ${name} succeeded${said}` };
    case "Aborted":
      return {
        state: "ended",
        phase: "Aborted",
        reason: "DeploymentAborted",
        message: `deployment ${name} was aborted${said}`,
      };
    case "Superseded": {
      const by = s.supersededBy ? promotionOf(s.supersededBy) : undefined;
      return {
        state: "ended",
        phase: "Superseded",
        reason: "DeploymentSuperseded",
        message: `deployment ${name} was superseded by deployment ${s.supersededBy ?? "(unknown)"}${by ? ` of promotion ${by}` : ""} before it started`,
        ...(by ? { supersededBy: by } : {}),
      };
    }
    default: {
      const reason = findCondition(s.conditions, "Complete")?.reason ?? phase;
      const unreachable = (s.targets ?? [])
        .map((t) => target(t.name))
        .filter(
          (t): t is Target =>
            t !== undefined && findCondition(t.status?.conditions, TargetConditions.Ready)?.status === "False",
        );
      const verb =
        phase === "RolledBack" ? `rolled back to ${s.rollback?.release ?? "the previous release"}` : "failed";
      if (unreachable.length) {
        const which = unreachable
          .map(
            (t) =>
              `${t.metadata.name} (${findCondition(t.status?.conditions, TargetConditions.Ready)?.message ?? "not ready"})`,
          )
          .join(", ");
        return {
          state: "ended",
          phase: "Errored",
          reason: "TargetsUnreachable",
          message: `deployment ${name} ${verb} while target(s) ${which} were unreachable${said}`,
        };
      }
      if (INFRASTRUCTURE_REASONS.has(reason))
        return { state: "ended", phase: "Errored", reason, message: `deployment ${name} ${verb} (${reason})${said}` };
      const why = phase === "RolledBack" && s.rollback?.reason ? `: ${s.rollback.reason}` : said;
      return {
        state: "ended",
        phase: "Failed",
        reason: phase === "RolledBack" ? "DeploymentRolledBack" : "DeploymentFailed",
        message: `deployment ${name} ${verb}${why}`,
      };
    }
  }
}
