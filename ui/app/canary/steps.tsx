// A canary's steps in order, each marked done, current or to come (the current one is the step the
// walker is on: status.currentStepIndex; all are done once the canary succeeded).
import type { Canary, CanaryStep } from "../../../crds/canary.ts";

/** A step in words. */
export function stepText(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `Set weight to ${step.setWeight}%`;
  if (step.pause) return step.pause.duration ? `Pause for ${step.pause.duration}` : "Pause until promoted";
  if (step.analysis) return `Analysis: ${step.analysis.metrics.join(", ")}`;
  if (step.setHeaderRoute)
    return step.setHeaderRoute.match
      ? `Header route ${step.setHeaderRoute.name}: ${step.setHeaderRoute.match.map((m) => m.headerName).join(", ")}`
      : `Remove header route ${step.setHeaderRoute.name}`;
  return "Unknown step";
}

type State = "done" | "current" | "todo";

function stateOf(c: Canary, i: number): State {
  if (c.status?.phase === "Succeeded") return "done";
  const current = c.status?.currentStepIndex;
  if (current === undefined) return "todo";
  return i < current ? "done" : i === current ? "current" : "todo";
}

const WORD: Record<State, string> = { done: "done", current: "now", todo: "to come" };

/** The step list of canary `c`. */
export function CanarySteps({ c }: { c: Canary }) {
  return (
    <ol class="canary-steps" aria-label="Steps">
      {c.spec.steps.map((step, i) => {
        const state = stateOf(c, i);
        return (
          <li
            key={i}
            data-step={i}
            data-state={state}
            class={state}
            aria-current={state === "current" ? "step" : undefined}
          >
            <span class="step-state">{WORD[state]}</span> {stepText(step)}
          </li>
        );
      })}
    </ol>
  );
}
