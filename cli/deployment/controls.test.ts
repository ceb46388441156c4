import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deployment, DeploymentSpec, DeploymentStatus } from "../../crds/deployment.ts";
import { decideControl, outcome, type RolloutAction } from "./controls.ts";
import { RolloutRefusedError } from "./errors.ts";

const deployment = (spec: Partial<DeploymentSpec> = {}, status?: DeploymentStatus): Deployment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "shop-1-4-0-dev", namespace: "shop" },
  spec: { release: "shop-1-4-0", environment: "dev", ...spec },
  ...(status ? { status } : {}),
});

const refusal = (action: RolloutAction, d: Deployment): string => {
  try {
    decideControl(action, d);
  } catch (err) {
    assert.ok(err instanceof RolloutRefusedError);
    assert.equal(err.action, action);
    assert.equal(err.phase, d.status?.phase ?? "Pending");
    return err.message;
  }
  assert.fail(`${action} was not refused`);
};

test("pause, resume and abort patch one spec field of a running deployment", () => {
  const running = deployment({}, { phase: "Progressing" });
  assert.deepEqual(decideControl("pause", running), { spec: { paused: true }, done: "paused" });
  assert.deepEqual(decideControl("resume", deployment({ paused: true }, { phase: "Paused" })), {
    spec: { paused: false },
    done: "resumed",
  });
  assert.deepEqual(decideControl("abort", running), { spec: { abort: true }, done: "aborted" });
  assert.deepEqual(
    decideControl("pause", deployment()),
    { spec: { paused: true }, done: "paused" },
    "a deployment the controller has not seen yet is Pending",
  );
});

test("retry raises spec.retry by one, only for a Failed or RolledBack deployment without a pending retry", () => {
  assert.deepEqual(decideControl("retry", deployment({}, { phase: "Failed" })), {
    spec: { retry: 1 },
    done: "retried",
  });
  assert.deepEqual(
    decideControl("retry", deployment({}, { phase: "RolledBack", rollback: { release: "shop-1-3-0" } })),
    { spec: { retry: 1 }, done: "retried" },
  );
  assert.deepEqual(decideControl("retry", deployment({ retry: 2 }, { phase: "Failed", observedRetry: 2 })), {
    spec: { retry: 3 },
    done: "retried",
  });
  assert.equal(
    refusal("retry", deployment({ retry: 3 }, { phase: "Failed", observedRetry: 2 })),
    "a retry of deployment shop-1-4-0-dev is already pending (spec.retry 3, observed 2)",
  );
});

test("refusals name the phase and say why", () => {
  assert.equal(
    refusal("retry", deployment({}, { phase: "Succeeded" })),
    "deployment shop-1-4-0-dev succeeded; nothing to retry",
  );
  assert.equal(
    refusal("retry", deployment({}, { phase: "Progressing" })),
    "deployment shop-1-4-0-dev is Progressing; only a Failed or RolledBack deployment can be retried",
  );
  assert.equal(
    refusal("retry", deployment({ abort: true }, { phase: "Aborted" })),
    "deployment shop-1-4-0-dev was aborted; only a Failed or RolledBack deployment can be retried (create a new Deployment to run release shop-1-4-0 again)",
  );
  assert.equal(
    refusal("pause", deployment({}, { phase: "Succeeded" })),
    "deployment shop-1-4-0-dev succeeded; nothing to pause",
  );
  assert.equal(
    refusal("resume", deployment({ paused: true }, { phase: "Aborted" })),
    "deployment shop-1-4-0-dev was aborted; nothing to resume",
  );
  assert.equal(
    refusal("abort", deployment({}, { phase: "Failed" })),
    "deployment shop-1-4-0-dev failed; nothing to abort",
  );
  assert.equal(
    refusal("abort", deployment({}, { phase: "Superseded", supersededBy: "shop-1-5-0-dev" })),
    "deployment shop-1-4-0-dev was superseded by deployment shop-1-5-0-dev; nothing to abort",
  );
  assert.equal(
    refusal("pause", deployment({ paused: true }, { phase: "Paused" })),
    "deployment shop-1-4-0-dev is already paused",
  );
  assert.equal(refusal("resume", deployment({}, { phase: "Progressing" })), "deployment shop-1-4-0-dev is not paused");
  assert.equal(
    refusal("abort", deployment({ abort: true }, { phase: "Progressing" })),
    "deployment shop-1-4-0-dev is already being aborted",
  );
});

test("outcome reads after the name", () => {
  assert.equal(outcome(deployment({}, { phase: "RolledBack" })), "was rolled back");
  assert.equal(outcome(deployment({}, { phase: "Paused" })), "is Paused");
});

test("pause and resume are refused for a Canary-strategy deployment, naming the canary commands", () => {
  const canary = { type: "Canary" as const } as DeploymentSpec["strategy"];
  const running = deployment({ strategy: canary }, { phase: "Progressing", canary: "shop-1-4-0-dev" });
  for (const action of ["pause", "resume"] as const)
    assert.match(refusal(action, running), /runs a Canary .*stella canary promote shop-1-4-0-dev/);
  assert.deepEqual(decideControl("abort", running), { spec: { abort: true }, done: "aborted" });
});
