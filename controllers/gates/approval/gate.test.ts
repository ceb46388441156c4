import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EnvironmentSpec } from "../../../crds/environment.ts";
import { approvalBinding } from "../../../crds/approval-binding.ts";
import type { Approval, ApprovalBinding } from "../../../crds/promotion.ts";
import { approvalGate, countApprovals } from "./gate.ts";
import type { Deployment } from "../../../crds/deployment.ts";
import { approval as entry, env, landed, promotion, release } from "../../promotion/testing/objects.ts";

// Approvals below are bound to release r1 under the policy of the test's environment, as the
// apiserver binds them, unless a test binds them to something else.
let policy: Partial<EnvironmentSpec> = {};
const boundNow = (): ApprovalBinding => approvalBinding(release("r1"), env("prod", policy));
const approval = (
  user: string,
  decision: Approval["decision"] = "Approved",
  minute = 1,
  groups?: string[],
  binding?: ApprovalBinding,
) => entry(user, decision, minute, groups, binding ?? boundNow());

function evaluate(
  approvals: Approval[],
  spec: Partial<EnvironmentSpec>,
  rollback = false,
  deps: Deployment[] = [],
  rel = release("r1"),
) {
  const p = promotion("p", { rollback, environment: "prod" }, { approvals });
  const deployments = (e: string) => deps.filter((d) => d.spec.environment === e);
  return approvalGate.evaluate({
    promotion: p,
    release: rel,
    environment: env("prod", spec),
    environments: new Map(),
    deployments,
    secretValue: async () => "",
    now: new Date(),
  });
}

describe("approval gate", () => {
  it("counts distinct people, and says who may not approve", async () => {
    policy = { approvals: { required: 2, separationOfDuties: true } };
    const one = await evaluate([approval("bob"), approval("bob", "Approved", 2)], policy);
    assert.equal(one.verdict, "Pending");
    assert.equal(one.message, "waiting for 1 more approval (1/2): approvers must not include the requester alice");
    const two = await evaluate([approval("bob"), approval("carol")], policy);
    assert.equal(two.verdict, "Passed");
    assert.equal(two.message, "approved by bob, carol (2/2)");
  });

  it("leaves out the requester under separation of duties, and outsiders when approvers are named", async () => {
    policy = { approvals: { required: 1, approvers: { users: ["bob"] } } };
    const sod = countApprovals(
      [approval("alice"), approval("bob")],
      { required: 2, separationOfDuties: true },
      "alice",
      undefined,
    );
    assert.deepEqual(sod.approvers, ["bob"]);
    assert.deepEqual(sod.ignored, [{ user: "alice", why: "the requester" }]);
    assert.deepEqual(
      countApprovals([approval("alice")], { required: 1 }, "alice", undefined).approvers,
      ["alice"],
      "without separation of duties the requester counts",
    );
    const narrowed = countApprovals(
      [approval("eve"), approval("dan", "Approved", 1, ["release-managers"]), approval("bob")],
      { required: 2, approvers: { users: ["bob"], groups: ["release-managers"] } },
      "alice",
      undefined,
    );
    assert.deepEqual(narrowed.approvers, ["dan", "bob"]);
    const r = await evaluate([approval("eve")], { approvals: { required: 1, approvers: { users: ["bob"] } } });
    assert.equal(
      r.message,
      "waiting for 1 more approval (0/1): approvers must be one of bob; not counted: eve (not among the environment's approvers)",
    );
  });

  it("counts only approvals bound to the release's digests and the policy now, and says which were voided and why", async () => {
    policy = { approvals: { required: 2 } };
    const swapped = release("r1");
    swapped.status!.components![0].imageRef = `127.0.0.1:5000/shop/web@sha256:${"e".repeat(64)}`;
    const evil = await evaluate([approval("bob"), approval("carol")], policy, false, [], swapped);
    assert.equal(evil.verdict, "Pending");
    assert.match(
      evil.message,
      /^waiting for 2 more approvals \(0\/2\): not counted: bob \(void: release r1 now has other digests/,
    );
    assert.deepEqual(
      (evil.inputs?.voided as { user: string }[]).map((v) => v.user),
      ["bob", "carol"],
    );
    assert.deepEqual(evil.inputs?.approvedBy, []);

    const loosened = { approvals: { required: 1 } };
    const r = await evaluate([approval("bob"), approval("carol")], loosened);
    assert.equal(
      r.verdict,
      "Pending",
      "approvals given under another policy are void, even when the new one asks for fewer",
    );
    assert.match(r.message, /not counted: bob \(void: the environment's policy changed since/);

    const otherRelease = { ...boundNow(), release: "r2" };
    const unbound: Approval = { user: { username: "dan" }, decision: "Approved", time: "2025-01-01T12:01:00.000Z" };
    const mixed = await evaluate(
      [approval("bob", "Approved", 1, undefined, otherRelease), unbound, approval("carol")],
      policy,
    );
    assert.equal(mixed.verdict, "Pending");
    assert.deepEqual(mixed.inputs?.voided, [
      { user: "bob", why: "it was given for release r2, not r1" },
      { user: "dan", why: "it is bound to no release (recorded before approvals were bound)" },
    ]);
    const again = await evaluate(
      [approval("bob", "Approved", 1, undefined, otherRelease), approval("carol"), approval("bob", "Approved", 3)],
      policy,
    );
    assert.equal(again.verdict, "Passed", "a person whose approval was voided may approve again");
    assert.equal(again.message, "approved by carol, bob (2/2)");
  });

  it("fails on any rejection, even with enough approvals", async () => {
    const r = await evaluate([approval("bob"), approval("carol", "Rejected", 2)], { approvals: { required: 1 } });
    assert.equal(r.verdict, "Failed");
    assert.equal(r.message, "rejected by carol: not this week");
  });

  it("is skipped when nothing is required, and by rollbacks only where the policy says skipApprovals", async () => {
    const ranHere = [landed("d0", "r1", "prod", -30), landed("d1", "r2", "prod", -5)];
    assert.equal((await evaluate([], {})).verdict, "Skipped");
    assert.equal((await evaluate([], { approvals: { required: 1 } }, true, ranHere)).verdict, "Pending");
    const skipped = await evaluate(
      [],
      { approvals: { required: 1 }, promotion: { rollback: { skipApprovals: true } } },
      true,
      ranHere,
    );
    assert.equal(skipped.verdict, "Skipped");
    assert.match(skipped.message, /promotion\.rollback\.skipApprovals/);
  });

  it("is not skipped by a 'rollback' to a release that never ran in the environment, and says why", async () => {
    const elsewhere = [landed("d0", "r1", "staging", -30), landed("d1", "r2", "prod", -5)];
    const r = await evaluate(
      [],
      { approvals: { required: 1 }, promotion: { rollback: { skipApprovals: true } } },
      true,
      elsewhere,
    );
    assert.equal(r.verdict, "Pending");
    assert.equal(
      r.message,
      "waiting for 1 more approval (0/1) (not skipped although promotion.rollback.skipApprovals is set: release r1 never ran in environment prod, so this is no rollback)",
    );
    assert.match(String(r.inputs?.rollbackSkipRefused), /never ran in environment prod/);
  });
});
