// Role-based authorization: may this principal do this verb on this resource in this namespace?
// The effective grants are the token's own plus the RoleBindings of the request's namespace that
// name the user or one of its groups. Denials explain themselves in words an operator acts on.

import { ALL_NAMESPACES } from "./principal.ts";
import type { Grant, Principal } from "./principal.ts";
import { AUTHENTICATED_RULES, ROLE_RULES } from "./roles.ts";
import type { PolicyRule, Role, Verb } from "./roles.ts";

/** What a request wants to do. */
export interface RequestAttributes {
  verb: Verb;
  /** The resource plural, e.g. "promotions", "namespaces". */
  resource: string;
  /** e.g. "status", "approval". */
  subresource?: string;
  /** The request's namespace; "" for a cluster-scoped resource or a list/watch across all namespaces. */
  namespace: string;
  /**
   * The object's name: from the path, from the body on create, or from a `metadata.name=` field
   * selector on list/watch. Needed for grants limited by resourceNames.
   */
  name?: string;
  /** The list or watch's field selector, as sent (agents must pin theirs to themselves). */
  fieldSelector?: string;
}

/** A RoleBinding as stored: in its namespace, grants `role` to the subjects. */
export interface RoleBindingLike {
  namespace: string;
  role: Role;
  subjects: { kind: "User" | "Group"; name: string }[];
}

/** The verdict. `role` is the role that allowed it (absent when every authenticated user may). */
export type Decision = { allowed: true; role?: Role } | { allowed: false; reason: string };

/**
 * Decides a request. Grants in ALL_NAMESPACES apply everywhere; a namespace's grants and bindings
 * apply only there. A cluster-scoped request (namespace "") is allowed by ALL_NAMESPACES grants and
 * by AUTHENTICATED_RULES (reading namespaces) only.
 */
export function authorize(
  principal: Principal,
  attrs: RequestAttributes,
  bindings: readonly RoleBindingLike[],
): Decision {
  if (AUTHENTICATED_RULES.some((rule) => ruleCovers(rule, attrs))) return { allowed: true };
  const grants = effectiveGrants(principal, attrs.namespace, bindings);
  const granting = grants.find((grant) => grantCovers(grant, attrs));
  if (granting) return { allowed: true, role: granting.role };
  return { allowed: false, reason: denialReason(principal.user, grants, attrs) };
}

/** The grants that apply to a request in `namespace`: the principal's and the matching bindings'. */
export function effectiveGrants(
  principal: Principal,
  namespace: string,
  bindings: readonly RoleBindingLike[],
): Grant[] {
  const own = principal.grants.filter(
    (g) => g.namespace === ALL_NAMESPACES || (namespace !== "" && g.namespace === namespace),
  );
  const bound = bindings
    .filter((b) => namespace !== "" && b.namespace === namespace)
    .filter((b) =>
      b.subjects.some((s) => (s.kind === "User" ? s.name === principal.user : principal.groups.includes(s.name))),
    )
    .map((b): Grant => ({ namespace: b.namespace, role: b.role }));
  return [...own, ...bound];
}

function grantCovers(grant: Grant, attrs: RequestAttributes): boolean {
  const names = grant.resourceNames?.[attrs.resource];
  const rules: readonly PolicyRule[] = ROLE_RULES[grant.role] ?? [];
  return rules.some((rule) => {
    if (!ruleCovers(rule, attrs)) return false;
    if (names === undefined) return rule.namedOnly !== true;
    return attrs.name !== undefined && names.includes(attrs.name);
  });
}

function ruleCovers(rule: PolicyRule, attrs: RequestAttributes): boolean {
  return (
    rule.verbs.includes(attrs.verb) &&
    rule.resources.some((p) => patternCovers(p, attrs.resource, attrs.subresource ?? ""))
  );
}

function patternCovers(pattern: string, resource: string, subresource: string): boolean {
  if (pattern === "*") return true;
  const slash = pattern.indexOf("/");
  const [pr, ps] = slash < 0 ? [pattern, ""] : [pattern.slice(0, slash), pattern.slice(slash + 1)];
  return (pr === "*" || pr === resource) && (slash < 0 ? subresource === "" : ps === "*" || ps === subresource);
}

function denialReason(user: string, grants: readonly Grant[], attrs: RequestAttributes): string {
  const roles = [...new Set(grants.map((g) => describeGrant(g, attrs.resource)))];
  const held =
    attrs.namespace === ""
      ? `roles in all namespaces: ${list(roles)}`
      : `roles in "${attrs.namespace}": ${list(roles)}`;
  const what = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const named = attrs.name === undefined ? "" : ` "${attrs.name}"`;
  const where = attrs.namespace === "" ? "at cluster scope" : `in namespace "${attrs.namespace}"`;
  return `user "${user}" (${held}) cannot ${attrs.verb} ${what}${named} ${where}`;
}

function describeGrant(grant: Grant, resource: string): string {
  const scope = grant.namespace === ALL_NAMESPACES ? " (all namespaces)" : "";
  const names = grant.resourceNames?.[resource];
  const only = names === undefined ? "" : ` (only ${resource} ${names.map((n) => `"${n}"`).join(", ") || "none"})`;
  return `${grant.role}${scope}${only}`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? "none" : items.join(", ");
}
