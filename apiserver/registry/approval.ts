// The `approval` subresource of promotions: parses the request, then appends the caller's decision
// to status.approvals in the store's read-modify-write loop, so every rule is checked against the
// promotion (and environment) as they are at the write, and a concurrent status write only makes
// the loop read again — two approvers deciding at once both land. This is the only write that
// changes status.approvals: a status write carries the stored ones over (strategies/promotion.ts).
import { ApiError, invalid } from "../../crds/errors.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import type { StellaObject, UserInfo } from "../../crds/meta.ts";
import { APPROVAL_REQUEST_KIND, APPROVAL_SUBRESOURCE, approvalRequest, type ApprovalRequest } from "../../crds/promotion-approval.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { causesFromIssues } from "../../crds/validate.ts";
import { decideApproval } from "./approval-rules.ts";
import { errorTarget } from "./keys.ts";
import type { Store, WriteOptions } from "./store.ts";

/** Parses an approval body; 422 naming every offending field (unknown ones included, e.g. `user`). */
export function parseApprovalRequest(body: unknown, promotion: string): ApprovalRequest {
  const result = approvalRequest.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const target = { ...errorTarget(promotionKind, promotion), kind: APPROVAL_REQUEST_KIND };
  throw invalid(target, causesFromIssues(result.error.issues));
}

/**
 * Records `requester`'s decision on promotion `name` and returns the updated promotion. The
 * environment the promotion names must exist (404 naming it); see decideApproval for the rules.
 */
export async function decidePromotion(
  store: Store,
  namespace: string,
  name: string,
  requester: UserInfo,
  request: ApprovalRequest,
  opts: Omit<WriteOptions, "subresource">,
  now: () => Date = () => new Date(),
): Promise<StellaObject> {
  return store.mutate(promotionKind, namespace, name, { ...opts, subresource: APPROVAL_SUBRESOURCE }, async (current) => {
    const promotion = current as Promotion;
    const environment = (await store.get(environmentKind, namespace, promotion.spec.environment).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 404)
        throw new ApiError(404, "NotFound", `${err.message}: promotion "${name}" names it, and its approval policy decides who may approve`, err.details);
      throw err;
    })) as Environment;
    const approval = decideApproval(promotion, environment, requester, request, now());
    const status = { ...promotion.status, approvals: [...(promotion.status?.approvals ?? []), approval] };
    return { ...promotion, status } as StellaObject;
  });
}
