import { test } from "node:test";
import assert from "node:assert/strict";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import { promotionEvents } from "./events.ts";

const p = { metadata: { name: "p" }, spec: { release: "shop-1-6-0", environment: "prod" } } as Promotion;
const reasons = (before: PromotionStatus | undefined, after: PromotionStatus) =>
  promotionEvents(p, before, after).map((n) => `${n.type} ${n.reason}`);

test("a promotion tells its gates, approval and end at the transitions", () => {
  const evaluating: PromotionStatus = { phase: "Evaluating", gates: [{ name: "soak", verdict: "Pending" }] };
  assert.deepEqual(reasons(undefined, evaluating), ["Normal PromotionStarted"]);
  const waiting: PromotionStatus = {
    phase: "AwaitingApproval",
    message: "waiting for 1 approval",
    gates: [
      { name: "soak", verdict: "Passed", message: "soaked 1h" },
      { name: "approval", verdict: "Pending" },
    ],
  };
  assert.deepEqual(reasons(evaluating, waiting), ["Normal GatePassed", "Normal WaitingForApproval"]);
  const deploying: PromotionStatus = {
    ...waiting,
    phase: "Deploying",
    deployment: "d",
    gates: [waiting.gates![0], { name: "approval", verdict: "Passed", message: "approved by bob" }],
  };
  assert.deepEqual(reasons(waiting, deploying), ["Normal Approved", "Normal Deploying"]);
  assert.deepEqual(reasons(deploying, { ...deploying, phase: "Succeeded" }), ["Normal PromotionSucceeded"]);
  assert.deepEqual(reasons(waiting, { ...waiting, phase: "Rejected", message: "rejected by bob" }), [
    "Warning Rejected",
  ]);
  assert.deepEqual(
    reasons(evaluating, {
      ...evaluating,
      phase: "Failed",
      gates: [{ name: "soak", verdict: "Failed", message: "too soon" }],
    }),
    ["Warning GateFailed", "Warning PromotionFailed"],
  );
});
