// What a canary's manual controls (`stella canary promote|abort|retry` and the dashboard's buttons)
// change in a Canary's spec, decided from the canary as read, or why one refuses: a control that
// cannot act in the canary's phase names the phase.
import { CANARY_TERMINAL_PHASES, type Canary, type CanarySpec } from "./canary.ts";

/** The manual controls of a canary. */
export type CanaryAction = "promote" | "promote-full" | "abort" | "retry";

type ControlFields = "promotedStep" | "promoteFull" | "abort" | "retry";

/** A control's effect: the spec fields of a JSON merge patch, and the words printed after the name. */
export interface CanaryChange {
  /** null removes a field (JSON merge patch). */
  spec: { [K in ControlFields]?: CanarySpec[K] | null };
  done: string;
}

/** A canary control that makes no sense in the canary's state. */
export class CanaryControlRefusedError extends Error {
  override readonly name = "CanaryControlRefusedError";
  constructor(
    readonly canary: string,
    readonly action: CanaryAction,
    /** The canary's phase when refused ("Pending" before the controller saw it). */
    readonly phase: string,
    message: string,
  ) {
    super(message);
  }
}

/** The change `action` makes to `canary`; throws CanaryControlRefusedError when it cannot act. */
export function decideCanaryControl(action: CanaryAction, canary: Canary): CanaryChange {
  const name = canary.metadata.name ?? "";
  const phase = canary.status?.phase ?? "Pending";
  const refuse = (why: string) => new CanaryControlRefusedError(name, action, phase, `canary ${name} ${why}`);
  if (action === "retry") {
    if (phase !== "Aborted" && phase !== "Failed")
      throw refuse(`is ${phase}; only an aborted or failed canary is retried`);
    const retry = (canary.spec.retry ?? 0) + 1;
    const spec = { retry, abort: null, promoteFull: null, promotedStep: null };
    return { spec, done: `retried (retry ${retry}): from the first step again` };
  }
  if (CANARY_TERMINAL_PHASES.includes(phase))
    throw refuse(`is ${phase.toLowerCase()}; nothing to ${action.split("-")[0]}`);
  if (canary.spec.abort) throw refuse("is being aborted");
  if (action === "abort") return { spec: { abort: true }, done: "aborting: traffic goes back to stable first" };
  if (action === "promote-full")
    return { spec: { promoteFull: true }, done: "promoting in full: all traffic to the canary" };
  const step = canary.status?.currentStepIndex ?? 0;
  if (phase !== "Paused") throw refuse(`is ${phase}, not paused; use --full to skip the remaining steps`);
  return { spec: { promotedStep: step }, done: `released from the pause at step ${step}` };
}
