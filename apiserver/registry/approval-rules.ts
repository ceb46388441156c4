// Who may decide a promotion, and when: the environment's approval policy (approvers, separation
// of duties) and the promotion's state (only while it awaits approval, one decision per person, a
// rejection is final). Each decision is bound to what it was given for (crds/approval-binding.ts):
// an earlier approval whose binding no longer holds is void and does not stop its author from
// deciding again. Pure: given the current objects, either the Approval to append or a Status error.
import { conflict, forbidden } from "../../crds/errors.ts";
import type { Environment } from "../../crds/environment.ts";
import type { UserInfo } from "../../crds/meta.ts";
import { bindingVoided } from "../../crds/approval-binding.ts";
import { rejection, type ApprovalRequest } from "../../crds/promotion-approval.ts";
import { promotionKind } from "../../crds/promotion.ts";
import type { Approval, ApprovalBinding, Promotion, PromotionPhase } from "../../crds/promotion.ts";
import { errorTarget } from "./keys.ts";

/**
 * The phases in which a promotion takes approvals and rejections: only once every other gate
 * passed, when its release is resolved and nothing about what it promotes can change any more.
 */
export const DECIDABLE_PHASES: readonly PromotionPhase[] = ["AwaitingApproval"];

const verbOf = (req: ApprovalRequest) => (req.decision === "Approved" ? "approve" : "reject");
const pastOf = (a: Approval) => (a.decision === "Approved" ? "approved" : "rejected");
const quoted = (items: readonly string[]) => items.map((i) => `"${i}"`).join(", ");

/**
 * The approval `requester` adds to `promotion` by `request` at `now`, bound to `binding` (what is
 * promoted and the policy in force now; undefined when the promotion is in no phase to take
 * decisions, which is refused anyway), or throws: 403 when the environment's approvers do not
 * include them or separation of duties excludes the promotion's author; 409 when the promotion
 * does not take decisions in its phase or they already decided it (a voided approval aside).
 */
export function decideApproval(
  promotion: Promotion,
  environment: Environment,
  requester: UserInfo,
  request: ApprovalRequest,
  binding: ApprovalBinding | undefined,
  now: Date,
): Approval {
  const name = promotion.metadata.name ?? "";
  const target = errorTarget(promotionKind, name);
  const envName = environment.metadata.name ?? "";
  const policy = environment.spec.approvals;
  const verb = verbOf(request);

  const allowed = policy?.approvers;
  if (allowed && (allowed.users !== undefined || allowed.groups !== undefined)) {
    const byName = allowed.users?.includes(requester.username) ?? false;
    const byGroup = (requester.groups ?? []).some((g) => allowed.groups?.includes(g));
    if (!byName && !byGroup) {
      const who =
        [
          allowed.users?.length ? `users ${quoted(allowed.users)}` : "",
          allowed.groups?.length ? `members of groups ${quoted(allowed.groups)}` : "",
        ]
          .filter(Boolean)
          .join(" and ") || "nobody";
      throw forbidden(
        `user "${requester.username}" may not ${verb} promotion "${name}": environment "${envName}" takes approvals only from ${who} (spec.approvals.approvers)`,
        target,
      );
    }
  }

  const author = promotion.spec.requestedBy?.username;
  if (policy?.separationOfDuties && author !== undefined && author === requester.username)
    throw forbidden(
      `separation of duties: user "${requester.username}" requested promotion "${name}" and may not ${verb} it (environment "${envName}" sets spec.approvals.separationOfDuties)`,
      target,
    );

  const phase = promotion.status?.phase ?? "Pending";
  if (!DECIDABLE_PHASES.includes(phase))
    throw conflict(
      target,
      `the promotion is ${phase}: approvals and rejections are taken only while it is ${DECIDABLE_PHASES.join(", ")}, ` +
        "once its other gates passed",
    );
  const approvals = promotion.status?.approvals ?? [];
  const rejected = rejection(approvals);
  if (rejected)
    throw conflict(
      target,
      `already rejected by ${rejected.user.username} at ${rejected.time}: a rejected promotion takes no further decisions`,
    );
  if (!binding) throw conflict(target, `the promotion's release is not known yet: an approval is bound to its digests`);
  const holds = (a: Approval) => bindingVoided(a.binding, binding) === undefined;
  const mine = approvals.find((a) => a.user.username === requester.username && holds(a));
  if (mine)
    throw conflict(
      target,
      `already ${pastOf(mine)} by ${requester.username} at ${mine.time}: each person decides once`,
    );

  const user: UserInfo = requester.groups?.length
    ? { username: requester.username, groups: [...requester.groups] }
    : { username: requester.username };
  const time = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const approval: Approval = { user, decision: request.decision, time, binding };
  if (request.comment !== undefined && request.comment !== "") approval.comment = request.comment;
  return approval;
}
