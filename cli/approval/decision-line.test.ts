import { test } from "node:test";
import assert from "node:assert/strict";
import type { Approval, Promotion } from "../../crds/promotion.ts";
import { decisionLine } from "./decision-line.ts";

const a = (username: string, decision: "Approved" | "Rejected" = "Approved", comment?: string): Approval => ({
  user: { username },
  decision,
  time: "2030-01-01T00:00:00Z",
  ...(comment ? { comment } : {}),
});
const promotion = (approvals: Approval[]): Promotion =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Promotion",
    metadata: { name: "to-prod" },
    spec: { release: "r", environment: "prod" },
    status: { approvals },
  }) as Promotion;

test("an approval prints who approved and the distinct approvers against the required count", () => {
  assert.equal(decisionLine(promotion([a("alice")]), 2), "promotion.release.stella.io/to-prod approved by alice (1/2)");
  assert.equal(
    decisionLine(promotion([a("alice"), a("bob")]), 2),
    "promotion.release.stella.io/to-prod approved by bob (2/2)",
  );
  assert.equal(
    decisionLine(promotion([a("alice")]), undefined),
    "promotion.release.stella.io/to-prod approved by alice (1 approval)",
  );
  assert.equal(
    decisionLine(promotion([a("alice"), a("bob")]), 0),
    "promotion.release.stella.io/to-prod approved by bob (2 approvals)",
  );
});

test("a rejection prints who rejected and why", () => {
  assert.equal(
    decisionLine(promotion([a("alice"), a("bob", "Rejected", "error rate up")]), 2),
    "promotion.release.stella.io/to-prod rejected by bob: error rate up",
  );
});
