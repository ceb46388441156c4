// A newer promotion to the same environment supersedes an older one that has not started
// deploying (Pending, Evaluating, AwaitingApproval): the newer one carries the intent. "Newer" is
// by creation time, then name. A newer promotion that ended without deploying (Rejected, Failed,
// Errored, Aborted, or itself Superseded) supersedes nothing: the older request still stands.
import type { Promotion, PromotionPhase } from "../../crds/promotion.ts";

/** Phases in which a promotion may still be superseded. */
export const SUPERSEDABLE: ReadonlySet<PromotionPhase> = new Set(["Pending", "Evaluating", "AwaitingApproval"]);

const DROPPED: ReadonlySet<PromotionPhase> = new Set(["Rejected", "Failed", "Errored", "Aborted", "Superseded"]);

/**
 * Whether promotion `a` was created after `b`. creationTimestamp has whole seconds, so within one
 * second the promotion that started evaluating later (or not at all) is the newer; then the name.
 */
export function isNewer(a: Promotion, b: Promotion): boolean {
  const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  if (ta !== tb) return ta > tb;
  const sa = Date.parse(a.status?.startedAt ?? "") || Infinity;
  const sb = Date.parse(b.status?.startedAt ?? "") || Infinity;
  if (sa !== sb) return sa > sb;
  return (a.metadata.name ?? "") > (b.metadata.name ?? "");
}

/** The newest promotion among `others` that supersedes `p`, if any. */
export function supersedingPromotion(p: Promotion, others: readonly Promotion[]): Promotion | undefined {
  if (!SUPERSEDABLE.has(p.status?.phase ?? "Pending")) return undefined;
  return others
    .filter(
      (o) =>
        o.metadata.name !== p.metadata.name &&
        o.spec.environment === p.spec.environment &&
        !o.metadata.deletionTimestamp &&
        isNewer(o, p) &&
        !DROPPED.has(o.status?.phase ?? "Pending"),
    )
    .sort((a, b) => (isNewer(a, b) ? -1 : 1))[0];
}
