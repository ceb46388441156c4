// Pause, resume, abort and retry on a deployment, each behind a confirmation step (spec-controls.tsx).
// The same merge patches of spec as `stella rollout …`, and only those that fit the deployment's phase.
import type { Deployment } from "../../../crds/deployment.ts";
import type { Stored } from "../watch.ts";
import { SpecControls } from "./spec-controls.tsx";

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
  const actions = actionsFor(d).map((a) => ({
    key: a,
    label: a[0].toUpperCase() + a.slice(1),
    warn: WARN[a],
    spec: CHANGE[a](d),
    done: `${a} sent to ${name}.`,
  }));
  return <SpecControls ns={ns} plural="deployments" kind="deployment" obj={d} actions={actions} />;
}
