// The result of one pass of the promotion state machine.
import type { PromotionStatus } from "../../crds/promotion.ts";

/** What one pass decided: the status to write, and when to look again. */
export interface Pass {
  status: PromotionStatus;
  /** Look again after this long (a pending gate, a deadline). */
  requeueMs?: number;
  /** The promotion moved on and the next pass can go further at once (after this status is written). */
  again?: boolean;
}
