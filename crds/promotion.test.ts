import { test } from "node:test";
import assert from "node:assert/strict";
import { PROMOTION_PHASES, PROMOTION_TERMINAL_PHASES, promotionKind } from "./promotion.ts";
import { validateObject } from "./validate.ts";

const promotion = (status?: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Promotion",
  metadata: { name: "p", namespace: "shop" },
  spec: { release: "shop-1-4-0", environment: "staging", ...spec },
  ...(status ? { status } : {}),
});
const fieldsOf = (obj: unknown) => {
  const result = validateObject(promotionKind, obj);
  return result.ok ? [] : result.causes.map((c) => c.field);
};

test("the terminal phases are phases, and the waiting ones are not terminal", () => {
  for (const phase of PROMOTION_TERMINAL_PHASES) assert.ok(PROMOTION_PHASES.includes(phase));
  for (const waiting of ["Pending", "Evaluating", "AwaitingApproval", "Deploying", "Verifying"] as const)
    assert.ok(!PROMOTION_TERMINAL_PHASES.includes(waiting));
});

test("status records gate verdicts with inputs, approvals with identities, and steps", () => {
  const status = {
    phase: "AwaitingApproval",
    gates: [
      {
        name: "soak",
        type: "soak",
        verdict: "Passed",
        inputs: { soakedFor: "12m", required: "10m" },
        evaluatedAt: "2024-05-01T12:00:00Z",
      },
    ],
    approvalsRequired: 1,
    approvals: [
      {
        user: { username: "bob", groups: ["qa"] },
        decision: "Approved",
        comment: "lgtm",
        time: "2024-05-01T12:05:00.123Z",
      },
    ],
    steps: [
      { name: "gates", phase: "Succeeded" },
      { name: "approval", phase: "Running", dependsOn: ["gates"] },
    ],
  };
  assert.deepEqual(fieldsOf(promotion(status)), []);
  const bad = { ...status, approvals: [{ user: { username: "bob" }, decision: "Maybe", time: "yesterday" }] };
  assert.deepEqual(fieldsOf(promotion(bad)), ["status.approvals[0].decision", "status.approvals[0].time"]);
});

test("a promotion may override deployment settings with the same rules as a deployment", () => {
  assert.deepEqual(
    fieldsOf(promotion(undefined, { deployment: { strategy: { type: "AllAtOnce", maxParallel: 2 } } })),
    ["spec.deployment.strategy.maxParallel"],
  );
});
