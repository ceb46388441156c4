// `stella rollout status` as text: a header naming what is deployed where, one summary line
// (phase, progress, what it waits for), one line per target, and a verdict once it settled.
// Pure: the command prints these, and in watch mode only the lines that changed.
import type { Deployment, TargetRollout } from "../../crds/deployment.ts";
import { isTerminal, outcome, phaseOf, retryPending } from "./controls.ts";

/** The lines describing one state of a deployment. */
export interface StatusView {
  header: string;
  summary: string;
  /** Per target, in the order of status.targets: [name, line]. */
  targets: [string, string][];
  /** Set once the deployment settled in a terminal phase: the last line, and whether it succeeded. */
  verdict?: { line: string; succeeded: boolean };
}

/** Whether the deployment ended: a terminal phase with no retry still waiting for the controller. */
export const settled = (d: Deployment): boolean => isTerminal(phaseOf(d)) && !retryPending(d);

function progressOf(d: Deployment): string | undefined {
  const s = d.status;
  if (s?.progress) return `${s.progress} targets healthy`;
  if (s?.totalTargets !== undefined) return `${s.healthyTargets ?? 0}/${s.totalTargets} targets healthy`;
  return undefined;
}

function summaryOf(d: Deployment): string {
  const s = d.status;
  const phase = phaseOf(d);
  const terminal = isTerminal(phase);
  const parts = [progressOf(d)];
  if (!s?.phase) parts.push("not started yet");
  if (s?.waitingFor) parts.push(`waiting for deployment ${s.waitingFor} to release the environment`);
  if (!terminal && d.spec.paused && phase !== "Paused") parts.push("pause requested");
  if (!terminal && d.spec.abort) parts.push("abort requested");
  if (retryPending(d)) parts.push("retry requested");
  if (s?.rollback && !s.rollback.completedAt && !terminal) parts.push(`rolling back to release ${s.rollback.release}`);
  const detail = parts.filter((p) => p !== undefined).join(", ");
  return `${phase}${detail ? `: ${detail}` : ""}${s?.message ? ` — ${s.message}` : ""}`;
}

/** `  docker-1: Progressing (batch 1) [web healthy, worker starting] — message`. */
export function targetLine(t: TargetRollout): string {
  const batch = t.batch !== undefined && t.batch > 0 ? ` (batch ${t.batch})` : "";
  const units = t.units?.length
    ? ` [${t.units.map((u) => `${u.component} ${u.healthy === true ? "healthy" : u.healthy === false ? "unhealthy" : "starting"}`).join(", ")}]`
    : "";
  return `  ${t.name}: ${t.phase}${batch}${units}${t.message ? ` — ${t.message}` : ""}`;
}

function verdictOf(d: Deployment): StatusView["verdict"] {
  if (!settled(d)) return undefined;
  const name = d.metadata.name ?? "";
  if (phaseOf(d) === "Succeeded") return { line: `deployment "${name}" successfully rolled out`, succeeded: true };
  const why = d.status?.rollback?.reason ?? d.status?.message;
  return { line: `deployment "${name}" ${outcome(d)}${why ? `: ${why}` : ""}`, succeeded: false };
}

/** The full view of `d`. */
export function statusView(d: Deployment): StatusView {
  const strategy = d.status?.strategy?.type ?? d.spec.strategy?.type;
  return {
    header: `deployment "${d.metadata.name ?? ""}": release ${d.spec.release} into environment ${d.spec.environment}${strategy ? `, strategy ${strategy}` : ""}${d.spec.rollback ? " (rollback)" : ""}`,
    summary: summaryOf(d),
    targets: (d.status?.targets ?? []).map((t) => [t.name, targetLine(t)]),
    verdict: verdictOf(d),
  };
}

/** Every line of a view, in print order. */
export const allLines = (v: StatusView): string[] => [
  v.header,
  v.summary,
  ...v.targets.map(([, line]) => line),
  ...(v.verdict ? [v.verdict.line] : []),
];

/** The lines of `next` that differ from `prev` (the header only if it changed), in print order. */
export function changedLines(prev: StatusView, next: StatusView): string[] {
  const before = new Map(prev.targets);
  const out: string[] = [];
  if (next.header !== prev.header) out.push(next.header);
  if (next.summary !== prev.summary) out.push(next.summary);
  for (const [name, line] of next.targets) if (before.get(name) !== line) out.push(line);
  if (next.verdict && next.verdict.line !== prev.verdict?.line) out.push(next.verdict.line);
  return out;
}
