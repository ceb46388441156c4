// Pause, resume, abort and retry on a deployment, each behind a confirmation step. The same merge
// patches of spec as `stella rollout …`; offered only when the server says the user may patch
// deployments (SelfSubjectAccessReview) and only those that fit the deployment's phase.
import { useState } from "preact/hooks";
import type { Deployment } from "../../../crds/deployment.ts";
import { api, collectionPath, type ApiFailure } from "../api.ts";
import { useCanI } from "../can-i.ts";
import type { Stored } from "../watch.ts";

type Action = "pause" | "resume" | "abort" | "retry";

const ENDED = ["Succeeded", "Failed", "RolledBack", "Aborted", "Superseded"];

/** The actions that fit `d` now (as the CLI's rollout controls decide). */
export function actionsFor(d: Deployment): Action[] {
  const phase = d.status?.phase ?? "Pending";
  if (phase === "Failed" || phase === "RolledBack")
    return (d.spec.retry ?? 0) > (d.status?.observedRetry ?? 0) ? [] : ["retry"];
  if (ENDED.includes(phase)) return [];
  const abort = d.spec.abort ? [] : (["abort"] as const);
  // A Canary-strategy deployment's pauses are its canary's steps (promoted on the canary's screen).
  if ((d.status?.strategy ?? d.spec.strategy)?.type === "Canary") return [...abort];
  return [d.spec.paused ? "resume" : "pause", ...abort];
}

const CHANGE: Record<Action, (d: Deployment) => Record<string, unknown>> = {
  pause: () => ({ paused: true }),
  resume: () => ({ paused: false }),
  abort: () => ({ abort: true }),
  retry: (d) => ({ retry: (d.spec.retry ?? 0) + 1 }),
};

const WARN: Record<Action, string> = {
  pause: "No new batch starts until it is resumed.",
  resume: "The deployment continues with its next batch.",
  abort: "The deployment stops and the environment's previous release is put back.",
  retry: "The deployment runs again from the start.",
};

/** The controls for deployment `d`. */
export function DeploymentControls({ ns, d }: { ns: string; d: Stored<Deployment> }) {
  const name = d.metadata.name;
  const may = useCanI("patch", "deployments", ns, name);
  const [asking, setAsking] = useState<Action>();
  const [result, setResult] = useState<string>();
  if (!may) return null;
  if (!may.allowed) return <p class="muted read-only">Read-only: {may.reason}</p>;
  const actions = actionsFor(d);
  const run = (action: Action) => {
    setAsking(undefined);
    const patch = { metadata: { resourceVersion: d.metadata.resourceVersion }, spec: CHANGE[action](d) };
    api(
      "PATCH",
      `${collectionPath(ns, "deployments")}/${encodeURIComponent(name)}?fieldManager=stella-dashboard`,
      patch,
      "application/merge-patch+json",
    ).then(
      () => setResult(`${action} sent to ${name}.`),
      (err: ApiFailure | Error) => setResult(err.message),
    );
  };
  return (
    <div class="controls">
      {actions.map((a) => (
        <button key={a} type="button" data-action={a} onClick={() => setAsking(a)}>
          {a[0].toUpperCase() + a.slice(1)}
        </button>
      ))}
      {asking && (
        <div role="alertdialog" aria-labelledby="confirm-title" class="confirm">
          <p id="confirm-title">
            {asking[0].toUpperCase() + asking.slice(1)} deployment {name}? {WARN[asking]}
          </p>
          <button type="button" class="confirm-yes" onClick={() => run(asking)}>
            Confirm {asking}
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
