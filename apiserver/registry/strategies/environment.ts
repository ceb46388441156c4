// Environment: its policy (upstream, soak, approvals, freeze windows, gates, promotion policy —
// crds/environment-policy.ts) is governed apart from the rest of its spec. The operator role
// requests promotions, so if it could also set the policy it could wave its own promotions through
// (approvals.required: 0) or stop requiring them; only admin changes a policy, including creating
// an environment with one or deleting one that has one. Operators still edit everything else
// (target selector, deployment settings, notifications…). Every policy change leaves evidence.
import { ApiError } from "../../../crds/errors.ts";
import { environmentKind, type EnvironmentSpec } from "../../../crds/environment.ts";
import { changedPolicyFields, POLICY_FIELDS } from "../../../crds/environment-policy.ts";
import { evidencePacketKind } from "../../../crds/evidence-packet.ts";
import type { StellaObject } from "../../../crds/meta.ts";
import { groupOf } from "../../../crds/scheme.ts";
import type { Admission, Strategy } from "../strategy.ts";
import { policyChangePacket } from "./policy-change.ts";

/** The role that may change an environment's policy: never the one that requests promotions. */
export const POLICY_ROLE = "admin";

const specOf = (obj: StellaObject | undefined) => obj?.spec as Partial<EnvironmentSpec> | undefined;

/** The policy fields write `a` changes; status writes change none. */
function changedBy(a: Admission): string[] {
  if (a.subresource !== undefined) return [];
  return changedPolicyFields(specOf(a.old), a.verb === "delete" ? undefined : specOf(a.next));
}

/** The 403 for a caller without POLICY_ROLE changing `fields` of environment `name`. */
export function policyChangeRefused(a: Admission, name: string, fields: string[]): ApiError {
  const who = a.requester?.username ?? "unknown";
  const roles = a.roles?.length ? a.roles.join(", ") : "none";
  const doing = { update: "change", create: "create with a policy", delete: "delete (with its policy)" }[a.verb];
  const message =
    `user "${who}" (roles in "${a.namespace}": ${roles}) may not ${doing} environment "${name}": ` +
    `${fields.join(", ")} ${fields.length === 1 ? "is" : "are"} policy, which only the ${POLICY_ROLE} role changes ` +
    `(policy fields: ${POLICY_FIELDS.map((f) => `spec.${f}`).join(", ")}); other fields may be edited as before`;
  const needs = `changing it needs the ${POLICY_ROLE} role`;
  const causes = fields.map((field) => ({ reason: "FieldValueForbidden", field, message: needs }));
  const target = { name, group: groupOf(environmentKind), kind: environmentKind.plural };
  return new ApiError(403, "Forbidden", message, { ...target, causes });
}

/** Environment: policy changes need POLICY_ROLE (admission) and are recorded as PolicyChange evidence. */
export const environmentStrategy: Strategy = {
  async admit(a) {
    const changed = changedBy(a);
    // In-process writes (no roles) have no caller to refuse; they still leave evidence.
    if (changed.length === 0 || a.roles === undefined || a.roles.includes(POLICY_ROLE)) return;
    throw policyChangeRefused(a, (a.next ?? a.old)?.metadata.name ?? "", changed);
  },
  async committed(a, stored) {
    const changed = changedBy(a);
    if (changed.length > 0) await a.create(evidencePacketKind, policyChangePacket(a, stored, changed));
  },
};
