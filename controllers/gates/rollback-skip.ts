// Whether a rollback promotion may skip the soak or the approval gate. The environment's
// spec.promotion.rollback must allow it, and the promotion must really go back: to a release that
// landed in that environment before (a Deployment, or a standalone Canary, of it succeeded there). A "rollback" to a
// release the environment never ran is a new release in disguise, and gets every gate — else
// anyone who may create promotions could skip the approvals by marking one a rollback.
import type { GateRequest, GateResult } from "../../sdk/plugins/gate.ts";
import { stintsOf } from "./landings.ts";

/** The skips spec.promotion.rollback can allow. */
export type RollbackSkip = "skipSoak" | "skipApprovals";

/** The answer: skip the gate, or evaluate it — with a note when the policy would have allowed a skip. */
export type RollbackSkipDecision = { skip: true } | { skip: false; note?: string };

/** Decides whether the promotion of `req` skips the gate that `skip` names. */
export function rollbackSkip(req: GateRequest, skip: RollbackSkip): RollbackSkipDecision {
  const { promotion: p, environment: env } = req;
  if (!p.spec.rollback || !env.spec.promotion?.rollback?.[skip]) return { skip: false };
  const name = env.metadata.name ?? "";
  const landed = stintsOf(req.deployments(name), p.spec.release, req.canaries?.(name)).length > 0;
  if (landed) return { skip: true };
  return {
    skip: false,
    note: `not skipped although promotion.rollback.${skip} is set: release ${p.spec.release} never ran in environment ${name}, so this is no rollback`,
  };
}

/** `r` with the note of a refused skip (if any) in its message and inputs, so the gate says why it ran. */
export function withRollbackNote(r: GateResult, decision: RollbackSkipDecision): GateResult {
  if (decision.skip || !decision.note) return r;
  return {
    ...r,
    message: `${r.message} (${decision.note})`,
    inputs: { ...r.inputs, rollbackSkipRefused: decision.note },
  };
}
