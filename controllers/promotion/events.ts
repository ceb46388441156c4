// What a person reads in `kubectl describe promotion`: it started, each gate's verdict, waiting for
// approval, approved or rejected, the deployment it created, and how it ended.
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import { normal, warning, type EventNote } from "../runtime/index.ts";

const ENDINGS: Record<string, Omit<EventNote, "message">> = {
  Succeeded: { type: "Normal", reason: "PromotionSucceeded" },
  Failed: { type: "Warning", reason: "PromotionFailed" },
  Errored: { type: "Warning", reason: "PromotionErrored" },
  Rejected: { type: "Warning", reason: "Rejected" },
  Aborted: { type: "Warning", reason: "Aborted" },
  Superseded: { type: "Normal", reason: "Superseded" },
};

/** The events of a status change of promotion `p` from `before` to `after`, in the order they happened. */
export function promotionEvents(p: Promotion, before: PromotionStatus | undefined, after: PromotionStatus) {
  const notes: EventNote[] = [];
  const was = before?.phase ?? "Pending";
  const now = after.phase ?? "Pending";
  const { release, environment } = p.spec;
  const started = `promoting ${release} to ${environment}`;
  if (was === "Pending" && now !== "Pending") notes.push(normal("PromotionStarted", started));
  const verdicts = new Map((before?.gates ?? []).map((g) => [g.name, g.verdict]));
  for (const g of after.gates ?? []) {
    if (verdicts.get(g.name) === g.verdict) continue;
    const what = g.message ? `gate ${g.name}: ${g.message}` : `gate ${g.name}`;
    // The approval gate's failure is the Rejected phase, told below.
    const approval = g.name === "approval" || g.type === "approval";
    if (g.verdict === "Passed") notes.push(normal(approval ? "Approved" : "GatePassed", what));
    else if ((g.verdict === "Failed" || g.verdict === "Error") && !approval) notes.push(warning("GateFailed", what));
  }
  const waiting = after.message ?? "waiting for approval";
  if (was !== now && now === "AwaitingApproval") notes.push(normal("WaitingForApproval", waiting));
  const deployment = after.deployment;
  if (!before?.deployment && deployment) notes.push(normal("Deploying", `created deployment ${deployment}`));
  if (was !== now && ENDINGS[now]) notes.push({ ...ENDINGS[now], message: after.message ?? now });
  return notes;
}
