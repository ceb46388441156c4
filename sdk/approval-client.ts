// Deciding a promotion through its approval subresource. The server records the caller's identity
// from the token; the request carries only the decision and a comment.
import type { ApprovalRequest } from "../crds/promotion-approval.ts";
import { APPROVAL_SUBRESOURCE } from "../crds/promotion-approval.ts";
import { promotionKind, type Promotion } from "../crds/promotion.ts";
import { resourcePath } from "./resource-path.ts";
import type { Transport } from "./transport.ts";

/** Options of decidePromotion. */
export interface DecideOptions {
  /** The promotion's namespace. */
  namespace: string;
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * Posts `request` to promotion `name`'s approval subresource and returns the updated Promotion;
 * refusals are ApiErrors (403 role, approvers or separation of duties; 409 decided or closed).
 */
export function decidePromotion(
  transport: Transport,
  name: string,
  request: ApprovalRequest,
  opts: DecideOptions,
): Promise<Promotion> {
  return transport.request<Promotion>({
    method: "POST",
    path: resourcePath(promotionKind, opts.namespace, name, APPROVAL_SUBRESOURCE),
    query: { dryRun: opts.dryRun ? "All" : undefined },
    body: request,
    signal: opts.signal,
  });
}
