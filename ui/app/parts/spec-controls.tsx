// Manual controls of one object, each a JSON merge patch of its spec behind a confirmation step,
// sent with the resourceVersion it was decided on (a stale decision is refused, not applied to
// what changed meanwhile). Offered only when the server says the user may patch the object
// (SelfSubjectAccessReview); a refusal shows "Read-only" with the server's reason. The deployment
// and canary controls say which actions fit and what each changes.
import { useState } from "preact/hooks";
import { api, collectionPath, type ApiFailure } from "../api.ts";
import { useCanI } from "../can-i.ts";
import type { Stored } from "../watch.ts";

/** One control: its button, the warning its confirmation shows, the spec it writes and what then to say. */
export interface SpecAction {
  key: string;
  label: string;
  warn: string;
  spec: Record<string, unknown>;
  done: string;
}

/** The controls `actions` of `obj` (of resource `plural`, called `kind` in the confirmation). */
export function SpecControls(props: {
  ns: string;
  plural: string;
  kind: string;
  obj: Stored<{ metadata: { name?: string; resourceVersion?: string } }>;
  actions: SpecAction[];
}) {
  const { ns, plural, kind, obj, actions } = props;
  const name = obj.metadata.name ?? "";
  const may = useCanI("patch", plural, ns, name);
  const [asking, setAsking] = useState<string>();
  const [result, setResult] = useState<string>();
  if (!may) return null;
  if (!may.allowed) return <p class="muted read-only">Read-only: {may.reason}</p>;
  const chosen = actions.find((a) => a.key === asking);
  const run = (action: SpecAction) => {
    setAsking(undefined);
    const patch = { metadata: { resourceVersion: obj.metadata.resourceVersion }, spec: action.spec };
    api(
      "PATCH",
      `${collectionPath(ns, plural)}/${encodeURIComponent(name)}?fieldManager=stella-dashboard`,
      patch,
      "application/merge-patch+json",
    ).then(
      () => setResult(action.done),
      (err: ApiFailure | Error) => setResult(err.message),
    );
  };
  return (
    <div class="controls">
      {actions.map((a) => (
        <button key={a.key} type="button" data-action={a.key} onClick={() => setAsking(a.key)}>
          {a.label}
        </button>
      ))}
      {chosen && (
        <div role="alertdialog" aria-labelledby="confirm-title" class="confirm">
          <p id="confirm-title">
            {chosen.label} {kind} {name}? {chosen.warn}
          </p>
          <button type="button" class="confirm-yes" onClick={() => run(chosen)}>
            Confirm {chosen.label.toLowerCase()}
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
