// The `approval` subresource of promotions: parses the request, then appends the caller's decision
// to status.approvals in the store's read-modify-write loop, so every rule is checked against the
// promotion (and environment) as they are at the write, and a concurrent status write only makes
// the loop read again — two approvers deciding at once both land. This is the only write that
// changes status.approvals: a status write carries the stored ones over (strategies/promotion.ts).
import { approvalBinding } from "../../crds/approval-binding.ts";
import { ApiError, conflict, invalid } from "../../crds/errors.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import type { StellaObject, UserInfo } from "../../crds/meta.ts";
import {
  APPROVAL_REQUEST_KIND,
  APPROVAL_SUBRESOURCE,
  approvalRequest,
  type ApprovalRequest,
} from "../../crds/promotion-approval.ts";
import { promotionKind, type ApprovalBinding, type Promotion } from "../../crds/promotion.ts";
import { releaseKind, type Release } from "../../crds/release.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { causesFromIssues } from "../../crds/validate.ts";
import { decideApproval } from "./approval-rules.ts";
import { errorTarget } from "./keys.ts";
import type { Store, WriteOptions } from "./store.ts";
import { isResolved } from "./strategies/release.ts";

/** Reads what promotion `name` refers to by `kind`; a 404 says that the promotion names it and why it matters. */
async function referenced<T>(store: Store, info: KindInfo, ns: string, ref: string, name: string, why: string) {
  return (await store.get(info, ns, ref).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 404)
      throw new ApiError(404, "NotFound", `${err.message}: promotion "${name}" names it, and ${why}`, err.details);
    throw err;
  })) as T;
}

/** Parses an approval body; 422 naming every offending field (unknown ones included, e.g. `user`). */
export function parseApprovalRequest(body: unknown, promotion: string): ApprovalRequest {
  const result = approvalRequest.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const target = { ...errorTarget(promotionKind, promotion), kind: APPROVAL_REQUEST_KIND };
  throw invalid(target, causesFromIssues(result.error.issues));
}

/**
 * Records `requester`'s decision on promotion `name` and returns the updated promotion. The
 * environment and the release the promotion names must exist (404 naming them), the release must
 * be resolved (409), and the decision is bound to both; see decideApproval for the rules.
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
  return store.mutate(
    promotionKind,
    namespace,
    name,
    { ...opts, subresource: APPROVAL_SUBRESOURCE },
    async (current) => {
      const promotion = current as Promotion;
      const { environment: envName, release: relName } = promotion.spec;
      const why = { env: "its approval policy decides who may approve", rel: "an approval is bound to its digests" };
      const environment = await referenced<Environment>(store, environmentKind, namespace, envName, name, why.env);
      // Only a promotion that takes decisions needs its release; in other phases decideApproval
      // refuses, naming the phase (after the 403s of the approval policy).
      let binding: ApprovalBinding | undefined;
      if (promotion.status?.phase === "AwaitingApproval") {
        const release = await referenced<Release>(store, releaseKind, namespace, relName, name, why.rel);
        // Never the case in AwaitingApproval, which the controller enters only with a resolved release.
        if (!isResolved(release))
          throw conflict(errorTarget(promotionKind, name), `release "${relName}" is not resolved yet: ${why.rel}`);
        binding = approvalBinding(release, environment);
      }
      const approval = decideApproval(promotion, environment, requester, request, binding, now());
      const status = { ...promotion.status, approvals: [...(promotion.status?.approvals ?? []), approval] };
      return { ...promotion, status } as StellaObject;
    },
  );
}
