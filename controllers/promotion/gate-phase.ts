// Evaluating and AwaitingApproval: the planned gates in order, each step run until its gate
// reaches a final verdict, recorded in status.gates with its inputs and evaluatedAt. Passed and
// Skipped move on to the next gate; Pending waits (asked again after the gate's retryAfterMs, or
// on the events that can change it); Failed ends the promotion Failed — Rejected when it is the
// approval gate; Error is asked again after the gate's retryAfterMs and Errors the promotion once
// it has answered Error gateErrorLimit times in a row, or at once when it names no retry time.
import type { Environment } from "../../crds/environment.ts";
import { BUILTIN_GATES, type GateStatus, type Promotion, type PromotionStatus } from "../../crds/promotion.ts";
import type { Release } from "../../crds/release.ts";
import type { GateResult } from "../../sdk/plugins/gate.ts";
import type { PromotionDeps } from "./deps.ts";
import { APPROVAL_GATE, gateConfig } from "./gates.ts";
import { runGate } from "./gate-runner.ts";
import type { Pass } from "./pass.ts";
import { ended, stamp, waiting, withCondition } from "./status.ts";
import { findStep, finishStep, gateStep, isFinished, runningStep, startStep, Steps } from "./steps.ts";

/** The step of gate `name`. */
export const stepOfGate = (name: string): string => (name === APPROVAL_GATE ? Steps.approval : gateStep(name));

/** Runs the next unfinished gates of `p` (phase Evaluating or AwaitingApproval). */
export async function runGates(
  p: Promotion,
  s: PromotionStatus,
  env: Environment,
  release: Release,
  deps: PromotionDeps,
  now: number,
): Promise<Pass> {
  const ns = p.metadata.namespace ?? "default";
  const environments = new Map(deps.environments(ns).map((e) => [e.metadata.name ?? "", e]));
  let next = s;
  for (const planned of s.gates ?? []) {
    const stepName = stepOfGate(planned.name);
    if (isFinished(findStep(next.steps, stepName))) continue;
    if (planned.name === APPROVAL_GATE && next.phase === "Evaluating") {
      const passed = (next.gates ?? []).filter((g) => g.name !== APPROVAL_GATE);
      const msg = passed.length
        ? `gates passed: ${passed.map((g) => `${g.name} ${g.verdict}`).join(", ")}`
        : "no gates besides approval";
      next = withCondition(
        { ...next, phase: "AwaitingApproval" },
        "GatesPassed",
        "True",
        "GatesPassed",
        msg,
        now,
        p.metadata.generation,
      );
      // This status is written before the approval gate is first asked; its message must already
      // say what the promotion waits for, not the last gate that held it.
      return { status: waiting(next, "WaitingForApproval", `${msg}; waiting for approval`, now), again: true };
    }
    const type = planned.type ?? planned.name;
    const config = gateConfig(env, planned.name);
    if (!(BUILTIN_GATES as readonly string[]).includes(planned.name) && !config) {
      next = record(
        next,
        planned,
        {
          verdict: "Skipped",
          message: `gate ${planned.name} was removed from environment ${env.metadata.name} after the promotion started`,
        },
        now,
      );
      next = {
        ...next,
        steps: finishStep(
          next.steps ?? [],
          stepName,
          "Skipped",
          stamp(now),
          `removed from environment ${env.metadata.name}`,
        ),
      };
      continue;
    }
    const result = await runGate(
      deps.gates.get(type),
      type,
      {
        promotion: { ...p, status: next },
        release,
        environment: env,
        ...(config ? { config } : {}),
        environments,
        deployments: (e) => deps.deployments(ns, e),
        canaries: (e) => deps.canaries?.(ns, e) ?? [],
        secretValue: deps.secretValue(ns),
        now: new Date(now),
      },
      deps.limits.pluginTimeoutMs,
    );
    const outcome = decide(p, next, planned, stepName, result, deps, now);
    next = outcome.status;
    if (!outcome.moveOn) return outcome;
  }
  const msg = `every gate passed; deploying release ${p.spec.release} to ${p.spec.environment}`;
  next = {
    ...next,
    phase: "Deploying",
    steps: startStep(next.steps ?? [], Steps.deploy, stamp(now), "creating the deployment"),
  };
  return { status: waiting(next, "Deploying", msg, now), again: true };
}

function decide(
  p: Promotion,
  s: PromotionStatus,
  planned: GateStatus,
  stepName: string,
  r: GateResult,
  deps: PromotionDeps,
  now: number,
): Pass & { moveOn?: boolean } {
  const approval = planned.name === APPROVAL_GATE;
  const cond = approval ? ("Approved" as const) : ("GatesPassed" as const);
  const gen = p.metadata.generation;
  const t = stamp(now);
  const said = `${planned.name}: ${r.message}`;
  switch (r.verdict) {
    case "Passed":
    case "Skipped": {
      let next = record(s, planned, r, now);
      next = {
        ...next,
        steps: finishStep(next.steps ?? [], stepName, r.verdict === "Passed" ? "Succeeded" : "Skipped", t, r.message),
      };
      if (approval)
        next = withCondition(
          next,
          "Approved",
          "True",
          r.verdict === "Passed" ? "Approved" : "NotRequired",
          r.message,
          now,
          gen,
        );
      return { status: next, moveOn: true };
    }
    case "Pending": {
      let next = record(s, planned, r, now);
      next = { ...next, steps: runningStep(next.steps ?? [], stepName, t, r.message) };
      next = withCondition(next, cond, "Unknown", approval ? "WaitingForApproval" : "WaitingForGate", said, now, gen);
      next = waiting(next, approval ? "WaitingForApproval" : "WaitingForGate", said, now);
      const requeueMs = approval ? r.retryAfterMs : (r.retryAfterMs ?? deps.limits.pendingRetryMs);
      return { status: next, ...(requeueMs !== undefined ? { requeueMs } : {}) };
    }
    case "Failed": {
      let next = record(s, planned, r, now);
      next = { ...next, steps: finishStep(next.steps ?? [], stepName, "Failed", t, r.message) };
      next = withCondition(next, cond, "False", approval ? "Rejected" : "GateFailed", said, now, gen);
      return {
        status: approval
          ? ended(next, "Rejected", "Rejected", r.message, now)
          : ended(next, "Failed", "GateFailed", `gate ${said}`, now),
      };
    }
    default: {
      // Error with retryAfterMs is transient trouble: asked again, up to gateErrorLimit times in a
      // row. Error without it means the gate gave up (a person must fix something): final at once.
      const errors =
        (s.gates?.find((g) => g.name === planned.name && g.verdict === "Error")?.inputs?.errors as
          number | undefined) ?? 0;
      const count = errors + 1;
      let next = record(
        s,
        planned,
        { ...r, inputs: { ...r.inputs, errors: count, errorLimit: deps.limits.gateErrorLimit } },
        now,
      );
      next = { ...next, steps: startStep(next.steps ?? [], stepName, t, r.message) };
      if (r.retryAfterMs === undefined || count >= deps.limits.gateErrorLimit) {
        next = { ...next, steps: finishStep(next.steps ?? [], stepName, "Failed", t, r.message) };
        next = withCondition(next, cond, "False", "GateError", said, now, gen);
        const why =
          r.retryAfterMs === undefined
            ? `gate ${said}`
            : `gate ${planned.name} answered Error ${count} times in a row: ${r.message}`;
        return { status: ended(next, "Errored", "GateError", why, now) };
      }
      const backoff = Math.max(1, r.retryAfterMs);
      const message = `${said} (error ${count} of at most ${deps.limits.gateErrorLimit}; asking again in ${Math.ceil(backoff / 1000)}s)`;
      next = withCondition(next, cond, "Unknown", "GateError", message, now, gen);
      return { status: waiting(next, "GateError", message, now), requeueMs: backoff };
    }
  }
}

/** `s` with gate `planned`'s verdict recorded. */
function record(
  s: PromotionStatus,
  planned: GateStatus,
  r: Pick<GateResult, "verdict" | "message" | "inputs">,
  now: number,
): PromotionStatus {
  const entry: GateStatus = {
    name: planned.name,
    ...(planned.type ? { type: planned.type } : {}),
    verdict: r.verdict,
    message: r.message,
    ...(r.inputs ? { inputs: r.inputs } : {}),
    evaluatedAt: stamp(now),
  };
  return { ...s, gates: (s.gates ?? []).map((g) => (g.name === planned.name ? entry : g)) };
}
