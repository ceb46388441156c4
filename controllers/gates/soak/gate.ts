// The built-in `soak` gate: the release must have run in every upstream environment for the
// environment's requiredSoak. Soak counts from a landing (deployedAt) for as long as the release
// stayed there without interruption: until now while it is current, until replacedAt once another
// release replaced it. Separate runs do not add up: one uninterrupted run must be long enough,
// since soak is about continuous exposure. A release still running upstream waits (Pending); one
// that no longer runs there and never ran long enough fails, as waiting cannot help any more.
// A rollback promotion skips the gate where the policy says promotion.rollback.skipSoak and it
// really goes back (rollback-skip.ts).
import { durationMillis } from "../../../crds/duration.ts";
import { humanDuration } from "../../../crds/age.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { ranFor, stintsOf, type Stint } from "../landings.ts";
import { rollbackSkip, withRollbackNote } from "../rollback-skip.ts";

/** The longest wait between two looks at a soaking release (the message shows the time so far). */
export const SOAK_RETRY_CAP_MS = 30_000;

/** The soak gate. */
export const soakGate: Gate = {
  type: "soak",
  async evaluate(req: GateRequest): Promise<GateResult> {
    const env = req.environment;
    const name = env.metadata.name;
    const release = req.promotion.spec.release;
    const required = env.spec.requiredSoak;
    const requiredMs = required === undefined ? 0 : (durationMillis(required) ?? 0);
    const rollback = rollbackSkip(req, "skipSoak");
    if (rollback.skip) {
      return {
        verdict: "Skipped",
        message: `rollback promotion: environment ${name} sets promotion.rollback.skipSoak, so the ${required ?? "0s"} soak is not required`,
        inputs: { rollback: true, skipSoak: true, requiredSoak: required },
      };
    }
    if (!required || requiredMs <= 0)
      return {
        verdict: "Passed",
        message: `environment ${name} requires no soak time`,
        inputs: { requiredSoak: required ?? null },
      };
    const now = req.now.getTime();
    const ran: Record<string, unknown> = {};
    const waiting: { env: string; text: string; leftMs: number }[] = [];
    const short: string[] = [];
    const met: string[] = [];
    for (const up of env.spec.upstream ?? []) {
      const stints = stintsOf(req.deployments(up), release, req.canaries?.(up));
      const best = longest(stints, now);
      const current = stints.find((s) => s.replacedAt === undefined);
      ran[up] = best
        ? {
            ...(best.canary ? { canary: best.canary } : { deployment: best.deployment }),
            deployedAt: iso(best.deployedAt),
            ...(best.replacedAt ? { replacedAt: iso(best.replacedAt) } : {}),
            ranForMs: ranFor(best, now),
          }
        : null;
      if (best && ranFor(best, now) >= requiredMs) met.push(`${up} for ${humanDuration(ranFor(best, now))}`);
      else if (current)
        waiting.push({
          env: up,
          text: `has run in ${up} for ${humanDuration(ranFor(current, now))} of the required ${required}`,
          leftMs: requiredMs - ranFor(current, now),
        });
      else if (best)
        short.push(
          `ran in ${up} for only ${humanDuration(ranFor(best, now))} of the required ${required} and was replaced at ${iso(best.replacedAt!)}; it no longer runs there`,
        );
      else short.push(`never ran in ${up}`);
    }
    const inputs = { release, requiredSoak: required, requiredMs, ran };
    if (short.length)
      return withRollbackNote(
        { verdict: "Failed", message: `release ${release} ${short.join("; ")}`, inputs },
        rollback,
      );
    if (waiting.length) {
      const leftMs = Math.max(...waiting.map((w) => w.leftMs));
      return withRollbackNote(
        {
          verdict: "Pending",
          message: `release ${release} ${waiting.map((w) => w.text).join("; ")}`,
          inputs,
          retryAfterMs: Math.max(100, Math.min(SOAK_RETRY_CAP_MS, leftMs)),
        },
        rollback,
      );
    }
    return withRollbackNote(
      { verdict: "Passed", message: `release ${release} has run in ${met.join(", ")} (required ${required})`, inputs },
      rollback,
    );
  },
};

function longest(stints: readonly Stint[], now: number): Stint | undefined {
  return [...stints].sort((a, b) => ranFor(b, now) - ranFor(a, now))[0];
}

const iso = (ms: number): string => new Date(ms).toISOString();
