// Status transitions of a canary: moving to the next step, pausing, and the terminal phases, each
// with the condition that says why. Conditions keep their lastTransitionTime while their status
// does not change.
import { CanaryConditions, type CanaryPhase, type CanaryStatus } from "../../crds/canary.ts";

type ConditionType = (typeof CanaryConditions)[keyof typeof CanaryConditions];

/** Sets condition `type` on `status`. */
export function setCondition(
  status: CanaryStatus,
  type: ConditionType,
  value: "True" | "False",
  reason: string,
  message: string,
  now: number,
): void {
  const old = status.conditions?.find((c) => c.type === type);
  const lastTransitionTime = old?.status === value ? old.lastTransitionTime : new Date(now).toISOString();
  status.conditions = [
    ...(status.conditions ?? []).filter((c) => c.type !== type),
    { type, status: value, reason, message, lastTransitionTime },
  ];
}

/** Sets the phase and message, and the Healthy condition that goes with them. */
export function setPhase(status: CanaryStatus, phase: CanaryPhase, reason: string, message: string, now: number) {
  status.phase = phase;
  status.message = message;
  const healthy = phase !== "Aborted" && phase !== "Failed" && reason !== "RouterUnreachable";
  setCondition(status, CanaryConditions.Healthy, healthy ? "True" : "False", reason, message, now);
  if (phase === "Succeeded" || phase === "Aborted" || phase === "Failed") {
    status.completedAt = new Date(now).toISOString();
    setCondition(status, CanaryConditions.Complete, "True", reason, message, now);
    setCondition(status, CanaryConditions.Progressing, "False", reason, message, now);
  } else setCondition(status, CanaryConditions.Progressing, "True", reason, message, now);
}

/** Moves to the next step. */
export function nextStep(status: CanaryStatus): void {
  status.currentStepIndex = (status.currentStepIndex ?? 0) + 1;
  delete status.pauseStartTime;
}

/**
 * An Aborted or Failed canary run again from its first step (`stella canary retry`): status keeps
 * only its stable release, its evidence and the retry it acted on. The walker starts by reading
 * the router's weight back (a router left at 0 stays there).
 */
export function retried(status: CanaryStatus, retry: number, now: number): CanaryStatus {
  const next: CanaryStatus = {
    observedRetry: retry,
    ...(status.stableRelease ? { stableRelease: status.stableRelease } : {}),
    ...(status.evidence ? { evidence: status.evidence } : {}),
    conditions: status.conditions?.filter((c) => c.type !== CanaryConditions.Complete),
  };
  setPhase(next, "Progressing", "Retried", `retry ${retry}: from the first step again`, now);
  return next;
}
