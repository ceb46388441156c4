// Promote, promote fully, abort and retry on a canary, each behind a confirmation step: the same
// merge patches of spec as `stella canary …` (crds/canary-controls.ts decides which fit the
// canary's phase and what each changes), sent with the resourceVersion they were decided on.
// Offered only when the server says the user may patch this canary (SelfSubjectAccessReview).
import { useState } from "preact/hooks";
import type { Canary } from "../../../crds/canary.ts";
import { type CanaryAction, decideCanaryControl } from "../../../crds/canary-controls.ts";
import { api, collectionPath, type ApiFailure } from "../api.ts";
import { useCanI } from "../can-i.ts";
import type { Stored } from "../watch.ts";

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
  const may = useCanI("patch", "canaries", ns, name);
  const [asking, setAsking] = useState<CanaryAction>();
  const [result, setResult] = useState<string>();
  if (!may) return null;
  if (!may.allowed) return <p class="muted read-only">Read-only: {may.reason}</p>;
  const offered = fitting(c);
  const run = (action: CanaryAction) => {
    setAsking(undefined);
    const chosen = offered.find((o) => o.action === action);
    if (!chosen) return setResult(`${LABEL[action]} no longer fits canary ${name}.`);
    const patch = { metadata: { resourceVersion: c.metadata.resourceVersion }, spec: chosen.change.spec };
    api(
      "PATCH",
      `${collectionPath(ns, "canaries")}/${encodeURIComponent(name)}?fieldManager=stella-dashboard`,
      patch,
      "application/merge-patch+json",
    ).then(
      () => setResult(`Canary ${name} ${chosen.change.done}.`),
      (err: ApiFailure | Error) => setResult(err.message),
    );
  };
  return (
    <div class="controls">
      {offered.map(({ action }) => (
        <button key={action} type="button" data-action={action} onClick={() => setAsking(action)}>
          {LABEL[action]}
        </button>
      ))}
      {asking && (
        <div role="alertdialog" aria-labelledby="confirm-title" class="confirm">
          <p id="confirm-title">
            {LABEL[asking]} canary {name}? {WARN[asking]}
          </p>
          <button type="button" class="confirm-yes" onClick={() => run(asking)}>
            Confirm {LABEL[asking].toLowerCase()}
          </button>
          <button type="button" onClick={() => setAsking(undefined)}>
            Cancel
          </button>
        </div>
      )}
      {result && <p role="status">{result}</p>}
    </div>
  );
}
