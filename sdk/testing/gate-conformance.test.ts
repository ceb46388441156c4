// The gate conformance checks catch what they promise to: gates that misbehave in one way each.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Gate, GateRequest, GateResult } from "../plugins/gate.ts";
import { checkGateScenario } from "./gate-conformance.ts";

const request = (): GateRequest =>
  ({
    promotion: { metadata: { name: "p", namespace: "shop" }, spec: { release: "r", environment: "prod" } },
    release: { metadata: { name: "r" }, spec: { components: [] } },
    environment: { metadata: { name: "prod" }, spec: {} },
    environments: new Map(),
    deployments: () => [],
    secretValue: async () => "hunter2-signing-key",
    now: new Date("2026-11-25T12:00:00Z"),
  }) as unknown as GateRequest;

const gate = (evaluate: (req: GateRequest) => Promise<GateResult>): Gate => ({ type: "bad", evaluate });
const fails = (g: Gate, pattern: RegExp, verdict?: GateResult["verdict"]) =>
  assert.rejects(checkGateScenario(g, { name: "s", request, verdict }), pattern);

test("a well-behaved gate passes", async () => {
  await checkGateScenario(
    gate(async (r) => ({
      verdict: "Passed",
      message: "ok",
      inputs: { key: (await r.secretValue({ name: "k" })).length },
    })),
    { name: "s", request },
  );
});

test("each misbehaviour is caught", async () => {
  await fails(
    gate(async (r) => ({ verdict: "Passed", message: `signed with ${await r.secretValue({ name: "k" })}` })),
    /Secret value appears/,
  );
  await fails(
    gate(async () => ({ verdict: "Passed", message: "ok", inputs: { at: new Date() } })),
    /inputs\.at is not plain JSON/,
  );
  await fails(
    gate(async () => ({ verdict: "Passed", message: "ok", inputs: { rate: NaN } })),
    /inputs\.rate is NaN/,
  );
  await fails(
    gate(async () => ({ verdict: "Passed", message: " " })),
    /message is empty/,
  );
  await fails(
    gate(async () => ({ verdict: "Maybe" as GateResult["verdict"], message: "?" })),
    /unknown verdict Maybe/,
  );
  await fails(
    gate(async () => ({ verdict: "Pending", message: "later", retryAfterMs: -1 })),
    /retryAfterMs -1/,
  );
  await fails(
    gate(async () => ({ verdict: "Passed", message: "ok" })),
    /verdict Passed/,
    "Failed",
  );
  await fails(
    gate(async (r) => ((r.environment.spec.upstream = ["x"]), { verdict: "Passed", message: "ok" })),
    /request was changed/,
  );
  let calls = 0;
  await fails(
    gate(async () => ({ verdict: calls++ === 0 ? "Passed" : "Failed", message: "flip" })),
    /asked again: Failed/,
  );
});
