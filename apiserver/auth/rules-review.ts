// What a principal may do in a namespace, as Kubernetes' SelfSubjectRulesReview lists it
// (`kubectl auth can-i --list`): the rules of every role its grants and the namespace's bindings
// give it, with each resource under every API group that serves it (core and events.k8s.io Events
// share a plural, and a role's rule covers both), and the resource names a limited grant allows.
import { groupOf } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { AUTHENTICATED_RULES, ROLE_RULES, type PolicyRule } from "./roles.ts";
import { effectiveGrants, type RoleBindingLike } from "./authorize.ts";
import type { Grant, Principal } from "./principal.ts";

/** One rule as authorization.k8s.io/v1 ResourceRule has it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

/** The rules of `principal` in `namespace` (cluster scope when ""). */
export function subjectRules(
  principal: Principal,
  namespace: string,
  bindings: readonly RoleBindingLike[],
  kinds: readonly KindInfo[],
): ResourceRule[] {
  const out: ResourceRule[] = AUTHENTICATED_RULES.flatMap((rule) => toResourceRules(rule, kinds, undefined));
  for (const grant of effectiveGrants(principal, namespace, bindings)) {
    for (const rule of ROLE_RULES[grant.role] ?? []) out.push(...toResourceRules(rule, kinds, grant));
  }
  return dedupe(out);
}

function toResourceRules(rule: PolicyRule, kinds: readonly KindInfo[], grant: Grant | undefined): ResourceRule[] {
  const byGroup = new Map<string, string[]>();
  const named: ResourceRule[] = [];
  for (const pattern of rule.resources) {
    const resource = pattern.split("/")[0];
    const groups = pattern === "*" || resource === "*" ? ["*"] : groupsOfResource(kinds, resource);
    const names = grant?.resourceNames?.[resource];
    for (const group of groups) {
      if (rule.namedOnly || names !== undefined) {
        // A limited grant covers only the objects it names; without names, a named-only rule gives nothing.
        if (names?.length)
          named.push({ verbs: [...rule.verbs], apiGroups: [group], resources: [pattern], resourceNames: [...names] });
        continue;
      }
      byGroup.set(group, [...(byGroup.get(group) ?? []), pattern]);
    }
  }
  const grouped = [...byGroup].map(([group, resources]) => ({ verbs: [...rule.verbs], apiGroups: [group], resources }));
  return [...grouped, ...named];
}

/** Every API group serving `resource`: a role's rule names a plural, which the authorizer allows in any group. */
function groupsOfResource(kinds: readonly KindInfo[], resource: string): string[] {
  if (resource === "metrics") return []; // a non-resource path, not a resource rule
  return [...new Set(kinds.filter((k) => k.plural === resource).map(groupOf))];
}

function dedupe(rules: ResourceRule[]): ResourceRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify(r);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
