// POST …/namespaces/NS/promotions/NAME/approval: the caller's decision on a promotion. The identity
// recorded is the token's; the body carries only the decision and a comment.
import type { Context } from "hono";
import { ApiError, isForbidden, unauthorized } from "../../crds/errors.ts";
import { decidePromotion, parseApprovalRequest } from "../registry/approval.ts";
import type { HttpDeps } from "./deps.ts";
import { parseDryRun, parseFieldManager } from "./request-options.ts";
import { mediaType, parseBody, readBodyBytes } from "./request-body.ts";
import type { UserInfo } from "../../crds/meta.ts";
import type { AuditContext } from "../registry/audit-context.ts";

/** What the route needs of the resolved request. */
export interface ApprovalTarget {
  namespace: string;
  name: string;
  /** The authenticated caller; their decision is recorded under this identity. */
  requester: UserInfo | undefined;
  audit?: AuditContext;
}

/** The role a caller lacks when approving is refused, said in the 403. */
const NEEDS_ROLE = "approving or rejecting a promotion takes the approver (or admin) role in its namespace";

/**
 * Authorizes (403 naming the caller's roles and the one needed), records the decision, answers the updated Promotion.
 */
export async function approvalResponse(
  deps: HttpDeps,
  c: Context,
  r: ApprovalTarget,
  authorize: (name: string | undefined) => Promise<void>,
): Promise<Response> {
  const { namespace, name } = r;
  if (!r.requester) throw unauthorized("Unauthorized: approving needs an authenticated user");
  await authorize(name).catch((err: unknown) => {
    if (isForbidden(err))
      throw new ApiError(403, "Forbidden", `${(err as ApiError).message}: ${NEEDS_ROLE}`, (err as ApiError).details);
    throw err;
  });
  const q = c.req.query();
  const request = parseApprovalRequest(
    parseBody(await readBodyBytes(c.req.raw, deps.bodyLimit), mediaType(c.req.raw)),
    name,
  );
  const updated = await decidePromotion(deps.store, namespace, name, r.requester, request, {
    dryRun: parseDryRun(q),
    fieldManager: parseFieldManager(q, c.req.header("user-agent"), false),
    audit: r.audit,
  });
  return new Response(JSON.stringify(updated), { status: 200, headers: { "content-type": "application/json" } });
}
