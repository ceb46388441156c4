// `kubectl auth can-i --list` must agree with `kubectl auth can-i`: every served resource, in every
// API group that serves it (core and events.k8s.io Events share one plural), is listed with exactly
// the verbs the authorizer allows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { groupOf, kinds } from "../../crds/scheme.ts";
import { authorize } from "./authorize.ts";
import type { Principal } from "./principal.ts";
import { ROLES, VERBS } from "./roles.ts";
import { subjectRules, type ResourceRule } from "./rules-review.ts";

const covers = (rules: ResourceRule[], group: string, plural: string, verb: string) =>
  rules.some(
    (r) =>
      !r.resourceNames &&
      (r.apiGroups.includes(group) || r.apiGroups.includes("*")) &&
      (r.resources.includes(plural) || r.resources.includes("*")) &&
      (r.verbs.includes(verb) || r.verbs.includes("*")),
  );

for (const role of ROLES) {
  test(`${role}: the rules list every resource in every group, with the verbs the authorizer allows`, () => {
    const principal: Principal = { user: "u", groups: [], grants: [{ namespace: "shop", role }], tokenId: "t" };
    const rules = subjectRules(principal, "shop", [], kinds);
    for (const kind of kinds.filter((k) => k.namespaced)) {
      for (const verb of VERBS) {
        const allowed = authorize(principal, { verb, resource: kind.plural, namespace: "shop" }, []).allowed;
        const listed = covers(rules, groupOf(kind), kind.plural, verb);
        assert.equal(listed, allowed, `${verb} ${kind.plural}.${groupOf(kind)}: listed ${listed}, allowed ${allowed}`);
      }
    }
  });
}
