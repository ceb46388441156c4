// Promote, promote fully, abort and retry on a canary, each behind a confirmation step
// (spec-controls.tsx): the same merge patches of spec as `stella canary …`; crds/canary-controls.ts
// decides which fit the canary's phase and what each changes.
import type { Canary } from "../../../crds/canary.ts";
import { type CanaryAction, decideCanaryControl } from "../../../crds/canary-controls.ts";
import type { Stored } from "../watch.ts";
import { SpecControls } from "./spec-controls.tsx";

const LABEL: Record<CanaryAction, string> = {
  promote: "Promote",
  "promote-full": "Promote fully",
  abort: "Abort",
  retry: "Retry",
};

const WARN: Record<CanaryAction, string> = {
  promote: "The canary leaves its pause and goes on with its next step.",
  "promote-full": "Every remaining step is skipped: all traffic goes to the canary, which becomes stable.",
  abort: "All traffic goes back to the stable release first; then the canary's units are removed.",
  retry: "The canary runs again from its first step.",
};

/** The controls that fit canary `c` now, each with the change it makes. */
function fitting(c: Canary) {
  const all: CanaryAction[] = ["promote", "promote-full", "abort", "retry"];
  return all.flatMap((action) => {
    try {
      return [{ action, change: decideCanaryControl(action, c) }];
    } catch {
      return [];
    }
  });
}

/** The controls of canary `c`. */
export function CanaryControls({ ns, c }: { ns: string; c: Stored<Canary> }) {
  const name = c.metadata.name;
  const actions = fitting(c).map(({ action, change }) => ({
    key: action,
    label: LABEL[action],
    warn: WARN[action],
    spec: change.spec,
    done: `Canary ${name} ${change.done}.`,
  }));
  return <SpecControls ns={ns} plural="canaries" kind="canary" obj={c} actions={actions} />;
}
