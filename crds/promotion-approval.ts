// The body of `POST …/promotions/NAME/approval`: a decision and a comment, nothing else. Who decided
// comes from the caller's token, never from this body, so it has no field that could name a user.
import { z } from "zod";
import { API_VERSION } from "./meta.ts";
import { APPROVAL_DECISIONS, type Approval } from "./promotion.ts";
import { requireField } from "./refinements.ts";

/** The subresource of promotions that approvals and rejections are posted to. */
export const APPROVAL_SUBRESOURCE = "approval";

/** The kind name of the request body (optional in the body; named in its validation errors). */
export const APPROVAL_REQUEST_KIND = "PromotionApproval";

/** One of APPROVAL_DECISIONS. */
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** The approval request; unknown fields (a `user`, an `approver`) are refused, naming them. */
export const approvalRequest = z
  .strictObject({
    apiVersion: z.literal(API_VERSION).optional(),
    kind: z.literal(APPROVAL_REQUEST_KIND).optional(),
    decision: z.enum(APPROVAL_DECISIONS).meta({ description: "Approved or Rejected." }),
    comment: z
      .string()
      .max(4096)
      .optional()
      .meta({ description: "Why; required for a rejection. Recorded in status and evidence." }),
  })
  .superRefine((req, ctx) => {
    if (req.decision === "Rejected" && !req.comment?.trim()) requireField(ctx, ["comment"], "a rejection must say why");
  });
/** A parsed approval request. */
export type ApprovalRequest = z.infer<typeof approvalRequest>;

/** The distinct user names that approved, in the order they first did. */
export function approvers(approvals: readonly Approval[] | undefined): string[] {
  const names: string[] = [];
  for (const a of approvals ?? [])
    if (a.decision === "Approved" && !names.includes(a.user.username)) names.push(a.user.username);
  return names;
}

/** The first rejection recorded, if any: it ends the promotion, so no decision may follow it. */
export const rejection = (approvals: readonly Approval[] | undefined): Approval | undefined =>
  approvals?.find((a) => a.decision === "Rejected");
