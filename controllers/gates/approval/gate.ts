// The built-in `approval` gate over status.approvals, which users write through the promotion's
// approval subresource (the apiserver takes the identity from their token). It counts distinct
// usernames with decision Approved against environment.spec.approvals.required, leaving out the
// requester when separationOfDuties is set and anyone outside approvers.users/groups when the
// policy narrows them — the apiserver refuses those already; counting again here keeps an
// approval written some other way (an admin editing status) from slipping through. Any Rejected
// decision fails the gate: the promotion ends Rejected. A rollback promotion skips the gate where
// the policy says promotion.rollback.skipApprovals and it really goes back (rollback-skip.ts).
// An approval counts only while its binding holds: given for this release with the digests it has
// now, under the environment's policy as it is now. One given for other bytes or before a policy
// change is void — not counted, and named with the reason in the message and inputs (so evidence).
import { approvalBinding, bindingVoided } from "../../../crds/approval-binding.ts";
import type { Environment } from "../../../crds/environment.ts";
import type { Approval, ApprovalBinding } from "../../../crds/promotion.ts";
import type { Gate, GateRequest, GateResult } from "../../../sdk/plugins/gate.ts";
import { rollbackSkip, withRollbackNote } from "../rollback-skip.ts";

/** The approvals that count and those that do not. */
export interface ApprovalCount {
  required: number;
  /** Distinct usernames whose approval counts, in the order they arrived. */
  approvers: string[];
  /** The first rejection, if any. */
  rejection?: Approval;
  /** Approvals that do not count, and why. */
  ignored: { user: string; why: string }[];
  /** Approvals whose binding no longer holds, and why (also in `ignored`). */
  voided: { user: string; why: string }[];
}

/**
 * Counts `approvals` under `policy` for a promotion requested by `requester`, where `current` is
 * what an approval must be bound to now (undefined: bindings are not checked, e.g. for a rejection).
 */
export function countApprovals(
  approvals: readonly Approval[],
  policy: Environment["spec"]["approvals"],
  requester: string | undefined,
  current: ApprovalBinding | undefined,
): ApprovalCount {
  const approvers: string[] = [];
  const ignored: ApprovalCount["ignored"] = [];
  const voided: ApprovalCount["voided"] = [];
  const allowedUsers = policy?.approvers?.users;
  const allowedGroups = policy?.approvers?.groups;
  const narrowed = allowedUsers !== undefined || allowedGroups !== undefined;
  // Newest first: a person whose earlier approval was voided may have approved again since.
  for (const a of [...approvals].reverse()) {
    if (a.decision !== "Approved") continue;
    const user = a.user.username;
    if (approvers.includes(user) || ignored.some((i) => i.user === user)) continue;
    const voidedWhy = current ? bindingVoided(a.binding, current) : undefined;
    if (voidedWhy !== undefined) {
      if (!voided.some((v) => v.user === user)) voided.push({ user, why: voidedWhy });
      continue;
    }
    if (policy?.separationOfDuties && requester !== undefined && user === requester)
      ignored.push({ user, why: "the requester" });
    else if (narrowed && !allowedUsers?.includes(user) && !a.user.groups?.some((g) => allowedGroups?.includes(g)))
      ignored.push({ user, why: "not among the environment's approvers" });
    else approvers.push(user);
  }
  approvers.reverse();
  ignored.reverse();
  voided.reverse();
  for (const v of voided) if (!approvers.includes(v.user)) ignored.push({ user: v.user, why: `void: ${v.why}` });
  const rejection = approvals.find((a) => a.decision === "Rejected");
  return { required: policy?.required ?? 0, approvers, ...(rejection ? { rejection } : {}), ignored, voided };
}

/** The words for a rejection, as status.message and evidence show it. */
export const rejectionMessage = (r: Approval): string =>
  `rejected by ${r.user.username}${r.comment ? `: ${r.comment}` : ""}`;

/** The approval gate; the environment's deployments tell whether a rollback goes back to a release that ran there. */
export const approvalGate: Gate = {
  type: "approval",
  async evaluate(req: GateRequest): Promise<GateResult> {
    const env = req.environment;
    const name = env.metadata.name;
    const policy = env.spec.approvals;
    const requester = req.promotion.spec.requestedBy?.username;
    const current = approvalBinding(req.release, env);
    const count = countApprovals(req.promotion.status?.approvals ?? [], policy, requester, current);
    const inputs = {
      required: count.required,
      separationOfDuties: policy?.separationOfDuties ?? false,
      requestedBy: requester ?? null,
      approvedBy: count.approvers,
      ...(count.rejection ? { rejectedBy: count.rejection.user.username } : {}),
      ...(count.ignored.length ? { notCounted: count.ignored } : {}),
      ...(count.voided.length ? { voided: count.voided } : {}),
      binding: current,
      ...(policy?.approvers ? { approvers: policy.approvers } : {}),
    };
    if (count.rejection) return { verdict: "Failed", message: rejectionMessage(count.rejection), inputs };
    const rollback = rollbackSkip(req, "skipApprovals");
    if (rollback.skip) {
      return {
        verdict: "Skipped",
        message: `rollback promotion: environment ${name} sets promotion.rollback.skipApprovals, so its ${count.required} approval(s) are not required`,
        inputs: { ...inputs, rollback: true, skipApprovals: true },
      };
    }
    if (count.required === 0)
      return { verdict: "Skipped", message: `environment ${name} requires no approvals`, inputs };
    if (count.approvers.length >= count.required)
      return withRollbackNote(
        {
          verdict: "Passed",
          message: `approved by ${count.approvers.join(", ")} (${count.approvers.length}/${count.required})`,
          inputs,
        },
        rollback,
      );
    return withRollbackNote(
      { verdict: "Pending", message: waitingMessage(count, policy, requester), inputs },
      rollback,
    );
  },
};

function waitingMessage(
  count: ApprovalCount,
  policy: Environment["spec"]["approvals"],
  requester: string | undefined,
): string {
  const missing = count.required - count.approvers.length;
  const head = `waiting for ${missing} more approval${missing === 1 ? "" : "s"} (${count.approvers.length}/${count.required})`;
  const rules: string[] = [];
  if (policy?.separationOfDuties)
    rules.push(
      requester ? `approvers must not include the requester ${requester}` : "approvers must not include the requester",
    );
  const users = policy?.approvers?.users ?? [];
  const groups = (policy?.approvers?.groups ?? []).map((g) => `group ${g}`);
  if (users.length || groups.length) rules.push(`approvers must be one of ${[...users, ...groups].join(", ")}`);
  if (count.ignored.length) rules.push(`not counted: ${count.ignored.map((i) => `${i.user} (${i.why})`).join(", ")}`);
  return rules.length ? `${head}: ${rules.join("; ")}` : head;
}
