// What `stella approve|reject` prints once the server recorded the decision.
import { approvers } from "../../crds/promotion-approval.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { objectName } from "../output/objects.ts";

/**
 * `promotion.release.stella.io/X approved by alice (1/2)` — the decision the server appended last
 * (the caller's), the distinct approvers so far and the approvals `required` (when known and
 * non-zero); a rejection prints its comment instead of the count.
 */
export function decisionLine(promotion: Promotion, required: number | undefined): string {
  const name = objectName(promotionKind, promotion.metadata.name);
  const approvals = promotion.status?.approvals ?? [];
  const mine = approvals.at(-1);
  if (!mine) return `${name}: no decision recorded`;
  if (mine.decision === "Rejected") return `${name} rejected by ${mine.user.username}: ${mine.comment ?? ""}`.trimEnd();
  const count = approvers(approvals).length;
  const tally = required ? `${count}/${required}` : `${count} approval${count === 1 ? "" : "s"}`;
  return `${name} approved by ${mine.user.username} (${tally})`;
}
