import { test } from "node:test";
import assert from "node:assert/strict";
import { changedPolicyFields, environmentPolicy, policyDigest, promotionRequired } from "./environment-policy.ts";

const prod = { targetSelector: { matchLabels: { env: "prod" } }, upstream: ["staging"], approvals: { required: 2 } };

test("the policy leaves out targets and deployment settings, so changing those keeps the digest", () => {
  assert.deepEqual(environmentPolicy(prod), { upstream: ["staging"], approvals: { required: 2 } });
  const moved = { ...prod, targetSelector: { matchLabels: { env: "prod-2" } }, deployment: { progressDeadline: "5m" } };
  assert.equal(policyDigest(moved), policyDigest(prod));
  assert.match(policyDigest(prod), /^sha256:[0-9a-f]{64}$/);
});

test("any policy change changes the digest and is named", () => {
  const loosened = { ...prod, approvals: { required: 0 } };
  assert.notEqual(policyDigest(loosened), policyDigest(prod));
  assert.deepEqual(changedPolicyFields(prod, loosened), ["spec.approvals"]);
  assert.deepEqual(changedPolicyFields(prod, { ...prod, promotion: { required: true }, freezeWindows: [] }), [
    "spec.freezeWindows",
    "spec.promotion",
  ]);
  assert.deepEqual(changedPolicyFields(undefined, prod), ["spec.upstream", "spec.approvals"]);
  assert.deepEqual(changedPolicyFields(prod, { ...prod, description: "x" }), []);
});

test("promotion.required is read as a flag", () => {
  assert.equal(promotionRequired({ ...prod, promotion: { required: true } }), true);
  assert.equal(promotionRequired({ ...prod, promotion: { autoPromote: true } }), false);
  assert.equal(promotionRequired(undefined), false);
});
