import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Condition } from "../../../crds/meta.ts";
import { signatureGate } from "./gate.ts";
import { env, promotion, release } from "../../promotion/testing/objects.ts";

const verification = { publicKeySecretRef: { name: "cosign-key" } };
const evaluate = (verified?: Condition) =>
  signatureGate.evaluate({
    promotion: promotion("p"),
    release: release("r1", { verification }, verified ? [verified] : []),
    environment: env("staging"),
    environments: new Map(),
    deployments: () => [],
    secretValue: async () => "",
    now: new Date(),
  });

describe("signature gate", () => {
  it("passes on Verified=True, fails on a bad signature, waits otherwise", async () => {
    assert.equal(
      (await evaluate({ type: "Verified", status: "True", reason: "Verified", message: "ok" })).verdict,
      "Passed",
    );
    const bad = await evaluate({
      type: "Verified",
      status: "False",
      reason: "SignatureInvalid",
      message: "web: no signature verifies",
    });
    assert.equal(bad.verdict, "Failed");
    assert.match(bad.message, /invalid signature \(SignatureInvalid\): web: no signature verifies/);
    const unsigned = await evaluate({
      type: "Verified",
      status: "False",
      reason: "Unsigned",
      message: "web is unsigned",
    });
    assert.equal(unsigned.verdict, "Pending");
    assert.equal((await evaluate()).verdict, "Pending");
    assert.deepEqual((await evaluate()).inputs?.verification, {
      plugin: "cosign",
      publicKeySecretRef: { name: "cosign-key" },
    });
  });
});
