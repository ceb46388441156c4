import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EnvironmentSpec } from "../../../crds/environment.ts";
import type { Approval } from "../../../crds/promotion.ts";
import { approvalGate, countApprovals } from "./gate.ts";
import type { Deployment } from "../../../crds/deployment.ts";
import { approval, env, landed, promotion, release } from "../../promotion/testing/objects.ts";

function evaluate(approvals: Approval[], spec: Partial<EnvironmentSpec>, rollback = false, deps: Deployment[] = []) {
  const p = promotion("p", { rollback, environment: "prod" }, { approvals });
  return approvalGate.evaluate({ promotion: p, release: release("r1"), environment: env("prod", spec), environments: new Map(), deployments: (e) => deps.filter((d) => d.spec.environment === e), secretValue: async () => "", now: new Date() });
}

describe("approval gate", () => {
  it("counts distinct people, and says who may not approve", async () => {
    const policy = { approvals: { required: 2, separationOfDuties: true } };
    const one = await evaluate([approval("bob"), approval("bob", "Approved", 2)], policy);
    assert.equal(one.verdict, "Pending");
    assert.equal(one.message, "waiting for 1 more approval (1/2): approvers must not include the requester alice");
    const two = await evaluate([approval("bob"), approval("carol")], policy);
    assert.equal(two.verdict, "Passed");
    assert.equal(two.message, "approved by bob, carol (2/2)");
  });

  it("leaves out the requester under separation of duties, and outsiders when approvers are named", async () => {
    const sod = countApprovals([approval("alice"), approval("bob")], { required: 2, separationOfDuties: true }, "alice");
    assert.deepEqual(sod.approvers, ["bob"]);
    assert.deepEqual(sod.ignored, [{ user: "alice", why: "the requester" }]);
    assert.deepEqual(countApprovals([approval("alice")], { required: 1 }, "alice").approvers, ["alice"], "without separation of duties the requester counts");
    const narrowed = countApprovals([approval("eve"), approval("dan", "Approved", 1, ["release-managers"]), approval("bob")], { required: 2, approvers: { users: ["bob"], groups: ["release-managers"] } }, "alice");
    assert.deepEqual(narrowed.approvers, ["dan", "bob"]);
    const r = await evaluate([approval("eve")], { approvals: { required: 1, approvers: { users: ["bob"] } } });
    assert.equal(r.message, "waiting for 1 more approval (0/1): approvers must be one of bob; not counted: eve (not among the environment's approvers)");
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
    const skipped = await evaluate([], { approvals: { required: 1 }, promotion: { rollback: { skipApprovals: true } } }, true, ranHere);
    assert.equal(skipped.verdict, "Skipped");
    assert.match(skipped.message, /promotion\.rollback\.skipApprovals/);
  });

  it("is not skipped by a 'rollback' to a release that never ran in the environment, and says why", async () => {
    const elsewhere = [landed("d0", "r1", "staging", -30), landed("d1", "r2", "prod", -5)];
    const r = await evaluate([], { approvals: { required: 1 }, promotion: { rollback: { skipApprovals: true } } }, true, elsewhere);
    assert.equal(r.verdict, "Pending");
    assert.equal(r.message, "waiting for 1 more approval (0/1) (not skipped although promotion.rollback.skipApprovals is set: release r1 never ran in environment prod, so this is no rollback)");
    assert.match(String(r.inputs?.rollbackSkipRefused), /never ran in environment prod/);
  });
});
