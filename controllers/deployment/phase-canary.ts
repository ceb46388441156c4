// Progressing under the Canary strategy: the deployment creates its Canary (canary-object.ts) and
// follows it; the canary controller does the work. The Canary's name is the deployment's, so a
// restarted controller finds it (a create that meets AlreadyExists reads it instead). The message
// mirrors the canary's step and weight; the canary's success ends the deployment Succeeded (the
// environment's history then makes the release current); an Aborted or Failed canary ends it
// Failed with the canary's reason and no rollback of its own: the canary controller has already
// sent all traffic back to stable and removed the canary units. spec.abort aborts the Canary (the
// deployment then ends Aborted), and `stella rollout retry` raises the Canary's spec.retry. The
// deployment's spec.progressDeadline becomes the Canary's, which bounds only its wait for healthy
// units (ProgressDeadlineExceeded): its pauses and analysis are its own pace.
import type { Canary } from "../../crds/canary.ts";
import { DeploymentConditions as C, type Deployment, type DeploymentStatus } from "../../crds/deployment.ts";
import { isAlreadyExists } from "../../sdk/index.ts";
import { setCondition } from "../runtime/index.ts";
import { canaryFor, isCanaryOf } from "./canary-object.ts";
import type { CanaryClient, DeploymentDeps } from "./deps.ts";
import { end, stamp, summarize, type PhaseResult } from "./status-transitions.ts";
import { nameOf } from "./units.ts";

/** How often a followed canary is looked at besides its own status changes. */
export const CANARY_FOLLOW_MS = 30_000;

const STOPPED = ["Aborted", "Failed"];

/** One pass of a Canary-strategy deployment after Pending. */
export async function followCanary(
  deps: Pick<DeploymentDeps, "canaries">,
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): Promise<PhaseResult> {
  const ns = d.metadata.namespace ?? "default";
  const name = nameOf(d);
  const plan = status.strategy?.canary;
  const stable = status.previousRelease;
  if (!plan || !stable) {
    const message = "the frozen Canary strategy has no canary block or no stable release; retry the deployment";
    return { status: end(status, "Failed", "InvalidCanary", message, now) };
  }
  const c = await ensureCanary(deps.canaries, ns, name, status.canary !== undefined, () => canaryFor(d, plan, stable));
  if (!c) return { status: end(status, "Failed", "CanaryDeleted", `canary ${name} was deleted while it ran`, now) };
  if (!isCanaryOf(c, d)) {
    const message = `a Canary named ${name} exists that this deployment did not create; delete it, then retry`;
    return { status: end(status, "Failed", "CanaryNameTaken", message, now) };
  }
  const next: DeploymentStatus = { ...status, canary: name };
  const phase = c.status?.phase ?? "Pending";
  const retry = status.observedRetry ?? 0;
  if (STOPPED.includes(phase) && (c.status?.observedRetry ?? 0) < retry) {
    if ((c.spec.retry ?? 0) < retry) await deps.canaries.patchSpec(ns, name, { retry });
    return following(next, `retry ${retry}: canary ${name} runs again from its first step`, now);
  }
  if (d.spec.abort && !c.spec.abort && !STOPPED.includes(phase) && phase !== "Succeeded")
    await deps.canaries.patchSpec(ns, name, { abort: true });
  if (phase === "Succeeded") return { status: succeeded(d, next, c, now) };
  if (STOPPED.includes(phase)) return { status: stopped(d, next, c, now) };
  return following(next, progressOf(c), now);
}

/** The deployment's Canary: cached, created, or (after AlreadyExists, or once status names it) read. */
async function ensureCanary(
  canaries: CanaryClient,
  ns: string,
  name: string,
  created: boolean,
  make: () => Canary,
): Promise<Canary | undefined> {
  const cached = canaries.cached(ns, name);
  if (cached) return cached;
  if (created) return canaries.read(ns, name);
  try {
    return await canaries.create(make());
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return canaries.read(ns, name);
  }
}

/** Where the canary is: its step, the weight the router confirmed, and its own message. */
export function progressOf(c: Canary): string {
  const s = c.status ?? {};
  if (!s.phase) return `canary ${nameOf(c)} created; waiting for the canary controller`;
  const step = `step ${(s.currentStepIndex ?? 0) + 1}/${c.spec.steps.length}`;
  const paused = s.phase === "Paused" ? "paused at " : "";
  return `canary ${nameOf(c)}: ${paused}${step}, weight ${s.currentWeight ?? 0}%: ${s.message ?? s.phase}`;
}

function following(status: DeploymentStatus, message: string, now: number): PhaseResult {
  const next = withTargets(status, "Progressing", message, now);
  next.phase = "Progressing";
  next.message = message;
  next.conditions = setCondition(
    next.conditions,
    { type: C.Progressing, status: "True", reason: "CanaryProgressing", message },
    stamp(now),
  );
  return { status: next, requeue: CANARY_FOLLOW_MS };
}

function succeeded(d: Deployment, status: DeploymentStatus, c: Canary, now: number): DeploymentStatus {
  const message = `canary ${nameOf(c)} succeeded: ${c.spec.component} of ${d.spec.release} takes all traffic`;
  const next = withTargets(status, "Succeeded", message, now);
  next.conditions = setCondition(
    next.conditions,
    { type: C.Available, status: "True", reason: "CanarySucceeded", message },
    stamp(now),
  );
  return end(next, "Succeeded", "CanarySucceeded", message, now);
}

function stopped(d: Deployment, status: DeploymentStatus, c: Canary, now: number): DeploymentStatus {
  const back = `all traffic is back on ${status.previousRelease} and the canary units are removed`;
  const next = withTargets(status, "RolledBack", back, now);
  const phase = c.status?.phase ?? "Failed";
  if (d.spec.abort) return end(next, "Aborted", "Aborted", `aborted: canary ${nameOf(c)} ${back}`, now);
  const complete = c.status?.conditions?.find((x) => x.type === "Complete");
  const reason = complete?.reason ?? `Canary${phase}`;
  const why = c.status?.message ? `: ${c.status.message}` : "";
  return end(next, "Failed", reason, `canary ${nameOf(c)} ${phase.toLowerCase()}${why}; ${back}`, now);
}

/** Every frozen target in `phase` with `message` (the canary's units run on all of them). */
function withTargets(
  status: DeploymentStatus,
  phase: "Progressing" | "Succeeded" | "RolledBack",
  message: string,
  now: number,
): DeploymentStatus {
  const at = stamp(now);
  const targets = (status.targets ?? []).map((t) => ({
    ...t,
    phase,
    message,
    startedAt: t.startedAt ?? at,
    ...(phase === "Progressing" ? {} : { completedAt: t.completedAt ?? at }),
  }));
  return { ...summarize({ ...status, targets }), message: status.message };
}
