import { test } from "node:test";
import assert from "node:assert/strict";
import { APPROVAL_SUBRESOURCE, approvalRequest, approvers, rejection } from "./promotion-approval.ts";
import { promotionKind, type Approval } from "./promotion.ts";
import { causesFromIssues } from "./validate.ts";

const causes = (body: unknown) => {
  const r = approvalRequest.safeParse(body, { reportInput: true });
  return r.success ? [] : causesFromIssues(r.error.issues).map((c) => `${c.field}: ${c.message}`);
};

test("promotions serve the approval subresource", () => {
  assert.ok(promotionKind.subresources?.includes(APPROVAL_SUBRESOURCE));
});

test("a decision with an optional comment is all the body holds; identity fields are refused by name", () => {
  assert.deepEqual(causes({ decision: "Approved" }), []);
  assert.deepEqual(
    causes({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "PromotionApproval",
      decision: "Rejected",
      comment: "flaky",
    }),
    [],
  );
  assert.deepEqual(causes({ decision: "Approved", user: { username: "mallory" }, approver: "x" }), [
    'user: unknown field "user"',
    'approver: unknown field "approver"',
  ]);
  assert.deepEqual(causes({ decision: "Maybe" }), [
    'decision: Unsupported value: "Maybe": supported values: "Approved", "Rejected"',
  ]);
});

test("a rejection must say why", () => {
  assert.deepEqual(causes({ decision: "Rejected" }), ["comment: Required value: a rejection must say why"]);
  assert.deepEqual(causes({ decision: "Rejected", comment: "  " }), [
    "comment: Required value: a rejection must say why",
  ]);
});

test("approvals count distinct people; the first rejection is found", () => {
  const a = (username: string, decision: "Approved" | "Rejected"): Approval => ({
    user: { username },
    decision,
    time: "2030-01-01T00:00:00Z",
  });
  assert.deepEqual(
    approvers([a("bob", "Approved"), a("bob", "Approved"), a("carol", "Approved"), a("dave", "Rejected")]),
    ["bob", "carol"],
  );
  assert.deepEqual(approvers(undefined), []);
  assert.equal(rejection([a("bob", "Approved"), a("dave", "Rejected")])?.user.username, "dave");
  assert.equal(rejection([a("bob", "Approved")]), undefined);
});
