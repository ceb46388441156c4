import { test } from "node:test";
import assert from "node:assert/strict";
import { authorize } from "./authorize.ts";
import type { RequestAttributes, RoleBindingLike } from "./authorize.ts";
import type { Grant, Principal } from "./principal.ts";
import { ROLES } from "./roles.ts";
import type { Role, Verb } from "./roles.ts";

function principal(user: string, grants: Grant[], groups: string[] = []): Principal {
  return { user, groups, grants, tokenId: "t" };
}

/** "verb resource[/sub] [name]" in namespace "shop". */
function attrs(probe: string, namespace = "shop"): RequestAttributes {
  const [verb, path, name] = probe.split(" ");
  const [resource, subresource] = path.split("/");
  return { verb: verb as Verb, resource, subresource, namespace, name };
}

const PROBES = [
  "get promotions",
  "list promotions",
  "watch promotions",
  "create promotions",
  "update promotions",
  "patch promotions",
  "delete promotions",
  "deletecollection promotions",
  "delete environments",
  "get promotions/status",
  "update promotions/status",
  "create promotions/approval",
  "update promotions/approval",
  "get secrets",
  "list secrets",
  "create secrets",
  "update secrets",
  "get rolebindings",
  "create rolebindings",
  "get evidencepackets",
  "create evidencepackets",
  "delete evidencepackets",
  "create leases a1",
  "update leases a1",
  "update leases a2",
  "get releases",
  "create releases",
  "list deployments",
  "get targets t1",
  "get targets t2",
  "list targets",
  "update targets/status t1",
  "update targets/status t2",
  "update agents/status a1",
  "get futurekinds",
];

const READS = [
  "get promotions",
  "list promotions",
  "watch promotions",
  "get promotions/status",
  "get rolebindings",
  "get evidencepackets",
  "get releases",
  "list deployments",
  "get targets t1",
  "get targets t2",
  "list targets",
];

const ALLOWED: Record<Role, string[]> = {
  admin: PROBES,
  operator: [
    ...READS,
    "create promotions",
    "update promotions",
    "patch promotions",
    "delete promotions",
    "deletecollection promotions",
    "delete environments",
    "create secrets",
    "update secrets",
    "create releases",
  ],
  approver: [...READS, "create promotions/approval", "update promotions/approval"],
  viewer: READS,
  controller: [
    ...READS,
    "create promotions",
    "update promotions",
    "patch promotions",
    "delete promotions",
    "deletecollection promotions",
    "delete environments",
    "update promotions/status",
    "get secrets",
    "list secrets",
    "create evidencepackets",
    "delete evidencepackets",
    "create leases a1",
    "update leases a1",
    "update leases a2",
    "create releases",
    "update targets/status t1",
    "update targets/status t2",
    "update agents/status a1",
  ],
  agent: [
    "get releases",
    "list deployments",
    "get targets t1",
    "update targets/status t1",
    "update agents/status a1",
    "create leases a1",
    "update leases a1",
  ],
};

const AGENT_NAMES = { targets: ["t1"], agents: ["a1"], leases: ["a1"] };

for (const role of ROLES) {
  test(`role ${role}: allow/deny table in its namespace`, () => {
    const grant: Grant = { namespace: "shop", role, ...(role === "agent" ? { resourceNames: AGENT_NAMES } : {}) };
    const who = principal("u", [grant]);
    for (const probe of PROBES) {
      const decision = authorize(who, attrs(probe), []);
      assert.equal(decision.allowed, ALLOWED[role].includes(probe), `${role}: ${probe}`);
      if (decision.allowed) assert.equal(decision.role, role);
      // The same grant reaches nothing in another namespace.
      assert.equal(authorize(who, attrs(probe, "other"), []).allowed, false, `${role} in other: ${probe}`);
    }
  });
}

test("the denial names user, roles, verb, resource and namespace", () => {
  const alice = principal("alice", [{ namespace: "shop", role: "viewer" }]);
  assert.deepEqual(authorize(alice, attrs("create promotions"), []), {
    allowed: false,
    reason: 'user "alice" (roles in "shop": viewer) cannot create promotions in namespace "shop"',
  });
  const nobody = principal("bob", []);
  assert.deepEqual(authorize(nobody, attrs("update promotions/approval p1"), []), {
    allowed: false,
    reason: 'user "bob" (roles in "shop": none) cannot update promotions/approval "p1" in namespace "shop"',
  });
});

test('a grant in "*" applies in every namespace and to lists across namespaces', () => {
  const everywhere = principal("v", [{ namespace: "*", role: "viewer" }]);
  assert.equal(authorize(everywhere, attrs("get promotions", "shop"), []).allowed, true);
  assert.equal(authorize(everywhere, attrs("list promotions", "other"), []).allowed, true);
  assert.equal(authorize(everywhere, attrs("list promotions", ""), []).allowed, true);
  assert.equal(authorize(everywhere, attrs("create promotions", "shop"), []).allowed, false);
  const shopOnly = principal("s", [{ namespace: "shop", role: "viewer" }]);
  const denied = authorize(shopOnly, attrs("list promotions", ""), []);
  assert.deepEqual(denied, {
    allowed: false,
    reason: 'user "s" (roles in all namespaces: none) cannot list promotions at cluster scope',
  });
});

test('anyone authenticated sees namespaces; only an admin in "*" creates or deletes them', () => {
  const cluster = (probe: string) => attrs(probe, "");
  const nobody = principal("n", []);
  for (const probe of ["get namespaces shop", "list namespaces", "watch namespaces"]) {
    assert.equal(authorize(nobody, cluster(probe), []).allowed, true, probe);
  }
  const shopAdmin = principal("sa", [{ namespace: "shop", role: "admin" }]);
  const adminBinding: RoleBindingLike = { namespace: "shop", role: "admin", subjects: [{ kind: "User", name: "sa" }] };
  assert.equal(authorize(shopAdmin, cluster("create namespaces x"), [adminBinding]).allowed, false);
  assert.equal(authorize(shopAdmin, cluster("delete namespaces shop"), [adminBinding]).allowed, false);
  assert.equal(
    authorize(principal("o", [{ namespace: "*", role: "operator" }]), cluster("create namespaces x"), []).allowed,
    false,
  );
  const root = principal("root", [{ namespace: "*", role: "admin" }]);
  assert.deepEqual(authorize(root, cluster("create namespaces x"), []), { allowed: true, role: "admin" });
  assert.deepEqual(authorize(root, cluster("delete namespaces shop"), []), { allowed: true, role: "admin" });
});

test("RoleBindings of the request's namespace add roles to matching users and groups", () => {
  const bindings: RoleBindingLike[] = [
    { namespace: "shop", role: "operator", subjects: [{ kind: "Group", name: "release-managers" }] },
    { namespace: "shop", role: "approver", subjects: [{ kind: "User", name: "carol" }] },
    { namespace: "other", role: "admin", subjects: [{ kind: "Group", name: "release-managers" }] },
  ];
  const member = principal("dave", [], ["devs", "release-managers"]);
  assert.deepEqual(authorize(member, attrs("create promotions"), bindings), { allowed: true, role: "operator" });
  assert.equal(authorize(member, attrs("create rolebindings"), bindings).allowed, false);
  assert.equal(authorize(member, attrs("create rolebindings", "other"), bindings).allowed, true);
  assert.equal(authorize(principal("erin", [], ["devs"]), attrs("get promotions"), bindings).allowed, false);
  // A group named like a user, or a user named like a group, does not match the other kind.
  assert.equal(authorize(principal("release-managers", []), attrs("get promotions"), bindings).allowed, false);
  assert.equal(authorize(principal("x", [], ["carol"]), attrs("get promotions"), bindings).allowed, false);
  // Token grants and bindings combine: a viewer token plus an approver binding may approve.
  const carol = principal("carol", [{ namespace: "shop", role: "viewer" }]);
  assert.deepEqual(authorize(carol, attrs("create promotions/approval p1"), bindings), {
    allowed: true,
    role: "approver",
  });
  const denied = authorize(
    principal("dave", [{ namespace: "*", role: "viewer" }], ["release-managers"]),
    attrs("get secrets"),
    bindings,
  );
  assert.deepEqual(denied, {
    allowed: false,
    reason: 'user "dave" (roles in "shop": viewer (all namespaces), operator) cannot get secrets in namespace "shop"',
  });
});

test("resourceNames limit a grant to named objects of that resource only", () => {
  const op = principal("op", [{ namespace: "shop", role: "operator", resourceNames: { targets: ["t1"] } }]);
  assert.equal(authorize(op, attrs("update targets t1"), []).allowed, true);
  assert.equal(authorize(op, attrs("update targets t2"), []).allowed, false);
  assert.equal(authorize(op, attrs("list targets"), []).allowed, false);
  assert.equal(authorize(op, attrs("create promotions"), []).allowed, true);
  const denied = authorize(op, attrs("delete targets t2"), []);
  assert.deepEqual(denied, {
    allowed: false,
    reason: 'user "op" (roles in "shop": operator (only targets "t1")) cannot delete targets "t2" in namespace "shop"',
  });
});

test("an agent grant without resourceNames reaches none of the name-limited objects", () => {
  const agent = principal("agent:x", [{ namespace: "shop", role: "agent" }]);
  assert.equal(authorize(agent, attrs("get targets t1"), []).allowed, false);
  assert.equal(authorize(agent, attrs("update targets/status t1"), []).allowed, false);
  assert.equal(authorize(agent, attrs("create leases a1"), []).allowed, false);
  assert.equal(authorize(agent, attrs("get releases"), []).allowed, true);
});
