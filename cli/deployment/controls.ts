// What `stella rollout pause|resume|abort|retry` changes in a Deployment's spec, decided from the
// deployment as read, or why it refuses: a control that cannot act on the deployment's phase is
// an error that names the phase, never a silent no-op.
import {
  DEPLOYMENT_TERMINAL_PHASES,
  type Deployment,
  type DeploymentPhase,
  type DeploymentSpec,
} from "../../crds/deployment.ts";
import { RolloutRefusedError } from "./errors.ts";

/** The manual controls. */
export const ROLLOUT_ACTIONS = ["pause", "resume", "abort", "retry"] as const;
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

/** A control's effect: the spec fields of a JSON merge patch, and the word printed after it. */
export interface ControlChange {
  spec: Pick<DeploymentSpec, "paused" | "abort" | "retry">;
  done: "paused" | "resumed" | "aborted" | "retried";
}

/** The phase as the CLI reasons about it: "Pending" until the controller writes one. */
export const phaseOf = (d: Deployment): DeploymentPhase => d.status?.phase ?? "Pending";

/** Whether the phase is one a deployment does not leave on its own. */
export const isTerminal = (phase: DeploymentPhase): boolean => DEPLOYMENT_TERMINAL_PHASES.includes(phase);

/** Whether a retry was asked for (spec.retry raised) that the controller has not acted on yet. */
export const retryPending = (d: Deployment): boolean => (d.spec.retry ?? 0) > (d.status?.observedRetry ?? 0);

/** How a terminal deployment's outcome reads after its name: "succeeded", "was rolled back to release R", ... */
export function outcome(d: Deployment): string {
  const s = d.status;
  switch (phaseOf(d)) {
    case "Succeeded":
      return "succeeded";
    case "Failed":
      return "failed";
    case "RolledBack":
      return s?.rollback?.release ? `was rolled back to release ${s.rollback.release}` : "was rolled back";
    case "Aborted":
      return "was aborted";
    case "Superseded":
      return s?.supersededBy ? `was superseded by deployment ${s.supersededBy}` : "was superseded";
    default:
      return `is ${phaseOf(d)}`;
  }
}

/** The change `action` makes to `d`; throws RolloutRefusedError when it cannot act on d's phase. */
export function decideControl(action: RolloutAction, d: Deployment): ControlChange {
  const name = d.metadata.name ?? "";
  const phase = phaseOf(d);
  const refuse = (message: string) => new RolloutRefusedError(name, action, phase, message);
  if (action === "retry") {
    if (phase === "Failed" || phase === "RolledBack") {
      if (retryPending(d))
        throw refuse(
          `a retry of deployment ${name} is already pending (spec.retry ${d.spec.retry}, observed ${d.status?.observedRetry ?? 0})`,
        );
      return { spec: { retry: (d.spec.retry ?? 0) + 1 }, done: "retried" };
    }
    if (phase === "Succeeded") throw refuse(`deployment ${name} succeeded; nothing to retry`);
    if (isTerminal(phase))
      throw refuse(
        `deployment ${name} ${outcome(d)}; only a Failed or RolledBack deployment can be retried (create a new Deployment to run release ${d.spec.release} again)`,
      );
    throw refuse(`deployment ${name} is ${phase}; only a Failed or RolledBack deployment can be retried`);
  }
  if (isTerminal(phase)) throw refuse(`deployment ${name} ${outcome(d)}; nothing to ${action}`);
  const canary = (d.status?.strategy ?? d.spec.strategy)?.type === "Canary";
  if (canary && (action === "pause" || action === "resume"))
    throw refuse(
      `deployment ${name} runs a Canary (named ${name}), whose steps decide its pauses: ` +
        `a pause step waits for "stella canary promote ${name}"; ` +
        `"stella canary abort ${name}" or "stella rollout abort ${name}" stops it`,
    );
  switch (action) {
    case "pause":
      if (d.spec.paused) throw refuse(`deployment ${name} is already paused`);
      return { spec: { paused: true }, done: "paused" };
    case "resume":
      if (!d.spec.paused) throw refuse(`deployment ${name} is not paused`);
      return { spec: { paused: false }, done: "resumed" };
    case "abort":
      if (d.spec.abort) throw refuse(`deployment ${name} is already being aborted`);
      return { spec: { abort: true }, done: "aborted" };
  }
}
