// Turning stored decisions into EvidencePackets. It reads the promotion as stored (never a status
// still to be written) and returns the next status with the packets' names added: each final gate
// verdict's name in its status.gates entry, every name in status.evidence in the order written.
// status.approvals is never touched here: the apiserver owns it. Which approvals have evidence is
// known from status.evidence, since each approval's packet name is derived from the entry.
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import type { PromotionDeps } from "./deps.ts";
import {
  approvalEvidenceName,
  approvalPacket,
  decisionEvidenceName,
  decisionPacket,
  gateVerdictPacket,
  type EvidenceContext,
  type PacketDraft,
} from "./evidence.ts";
import { stepOfGate } from "./gate-phase.ts";
import { isTerminal } from "./status.ts";
import { findStep, isFinished } from "./steps.ts";

/** The stored gates whose verdict is final and has no packet yet. */
function unrecordedGates(p: Promotion) {
  const s = p.status ?? {};
  return (s.gates ?? []).filter(
    (g) =>
      !g.evidence &&
      g.verdict !== "Pending" &&
      (g.verdict !== "Error" || isFinished(findStep(s.steps, stepOfGate(g.name)))),
  );
}

/** Whether the stored status holds decisions without evidence. */
export function needsEvidence(p: Promotion): boolean {
  const s = p.status ?? {};
  const have = new Set(s.evidence ?? []);
  if (unrecordedGates(p).length) return true;
  if ((s.approvals ?? []).some((a) => !have.has(approvalEvidenceName(p, a)))) return true;
  return isTerminal(s.phase) && !have.has(decisionEvidenceName(p));
}

/** `next` with packets recorded for every decision stored in `p` that has none yet. */
export async function recordDecisions(
  p: Promotion,
  next: PromotionStatus,
  deps: PromotionDeps,
): Promise<PromotionStatus> {
  if (!needsEvidence(p)) return next;
  const ns = p.metadata.namespace ?? "default";
  const s = p.status ?? {};
  const ctx: EvidenceContext = {
    promotion: p,
    environment: deps.environment(ns, p.spec.environment),
    release: deps.release(ns, p.spec.release),
    deployment: s.deployment ? deps.deployment(ns, s.deployment) : undefined,
  };
  let out: PromotionStatus = { ...next, evidence: [...(next.evidence ?? [])] };
  const add = async (draft: PacketDraft): Promise<string> => {
    const name = await deps.recordEvidence(ns, draft.name, draft.spec, draft.labels);
    if (!out.evidence!.includes(name)) out.evidence!.push(name);
    return name;
  };
  for (const g of unrecordedGates(p)) {
    const name = await add(gateVerdictPacket(ctx, g));
    out = {
      ...out,
      gates: (out.gates ?? []).map((x) =>
        x.name === g.name && x.evaluatedAt === g.evaluatedAt && x.verdict === g.verdict ? { ...x, evidence: name } : x,
      ),
    };
  }
  for (const a of s.approvals ?? [])
    if (!out.evidence!.includes(approvalEvidenceName(p, a))) await add(approvalPacket(ctx, a));
  if (isTerminal(s.phase) && !out.evidence!.includes(decisionEvidenceName(p))) await add(decisionPacket(ctx));
  return out;
}
