// The promotion's workflow as a DAG in status.steps, planned once when the promotion starts:
//
//   gate-<first> -> gate-<next> -> ... -> approval -> deploy -> verify -> notify-<each notification>
//
// Gates run one after another in the planned order. A step runs once every step it depends on
// Succeeded or was Skipped; when the promotion ends early, every unfinished step is Skipped, so a
// step that Succeeded (or Failed) is never run again — status is the workflow's memory, and a
// restarted controller resumes from it. Notify steps are the exception that always runs: they
// wait only for their dependencies to be finished, whatever the outcome, since a notification
// reports the outcome, good or bad.
import type { PromotionStep } from "../../crds/promotion.ts";

/** Names of the fixed steps. */
export const Steps = { approval: "approval", deploy: "deploy", verify: "verify" } as const;

/** The step of gate `gate`. */
export const gateStep = (gate: string): string => `gate-${gate}`;
/** The step of notification `name`. */
export const notifyStep = (name: string): string => `notify-${name}`;
/** Whether `name` is a notify step. */
export const isNotifyStep = (name: string): boolean => name.startsWith("notify-");

/** Whether a step has finished (it will not run again). */
export const isFinished = (s: PromotionStep | undefined): boolean =>
  s?.phase === "Succeeded" || s?.phase === "Failed" || s?.phase === "Skipped";

/** The steps for gates `gates` (in order, approval excluded) and notifications `notifications`, all Pending. */
export function planSteps(gates: readonly string[], notifications: readonly string[]): PromotionStep[] {
  const steps: PromotionStep[] = [];
  let previous: string | undefined;
  const add = (name: string, dependsOn: string[]) => {
    steps.push({ name, phase: "Pending", ...(dependsOn.length ? { dependsOn } : {}) });
    previous = name;
  };
  for (const g of gates) add(gateStep(g), previous ? [previous] : []);
  add(Steps.approval, previous ? [previous] : []);
  add(Steps.deploy, [Steps.approval]);
  add(Steps.verify, [Steps.deploy]);
  for (const n of notifications) steps.push({ name: notifyStep(n), phase: "Pending", dependsOn: [Steps.verify] });
  return steps;
}

/** The step named `name`. */
export const findStep = (steps: readonly PromotionStep[] | undefined, name: string): PromotionStep | undefined =>
  steps?.find((s) => s.name === name);

/** Whether step `name` may run now: its dependencies Succeeded or were Skipped (finished at all, for notify steps). */
export function isReady(steps: readonly PromotionStep[], name: string): boolean {
  const step = findStep(steps, name);
  if (!step || isFinished(step)) return false;
  const deps = (step.dependsOn ?? []).map((d) => findStep(steps, d));
  return isNotifyStep(name)
    ? deps.every(isFinished)
    : deps.every((d) => d?.phase === "Succeeded" || d?.phase === "Skipped");
}

/** `steps` with step `name` changed by `patch` (unchanged when absent). */
export function updateStep(
  steps: readonly PromotionStep[],
  name: string,
  patch: Partial<PromotionStep>,
): PromotionStep[] {
  return steps.map((s) => (s.name === name ? clean({ ...s, ...patch }) : s));
}

/** Step `name` Running: startedAt kept from its first start, one more attempt. */
export function startStep(
  steps: readonly PromotionStep[],
  name: string,
  now: string,
  message?: string,
): PromotionStep[] {
  const s = findStep(steps, name);
  return updateStep(steps, name, {
    phase: "Running",
    startedAt: s?.startedAt ?? now,
    attempts: (s?.attempts ?? 0) + 1,
    message,
  });
}

/** Step `name` Running without counting an attempt (a wait that goes on: a pending gate asked again). */
export function runningStep(
  steps: readonly PromotionStep[],
  name: string,
  now: string,
  message?: string,
): PromotionStep[] {
  const s = findStep(steps, name);
  return updateStep(steps, name, {
    phase: "Running",
    startedAt: s?.startedAt ?? now,
    attempts: Math.max(1, s?.attempts ?? 0),
    message,
  });
}

/** Step `name` finished as `phase`. */
export function finishStep(
  steps: readonly PromotionStep[],
  name: string,
  phase: "Succeeded" | "Failed" | "Skipped",
  now: string,
  message?: string,
): PromotionStep[] {
  const s = findStep(steps, name);
  return updateStep(steps, name, {
    phase,
    completedAt: now,
    message,
    ...(phase === "Skipped" ? {} : { startedAt: s?.startedAt ?? now, attempts: Math.max(1, s?.attempts ?? 0) }),
  });
}

/** Every unfinished step but the notify steps Skipped, with `why`: the promotion ended early. */
export function skipUnfinished(steps: readonly PromotionStep[], why: string, now: string): PromotionStep[] {
  return steps.map((s) =>
    isFinished(s) || isNotifyStep(s.name)
      ? s
      : clean({
          ...s,
          phase: "Skipped",
          completedAt: now,
          message: s.phase === "Running" ? `${why} (was: ${s.message ?? "running"})` : why,
        }),
  );
}

function clean(s: PromotionStep): PromotionStep {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as PromotionStep;
}
