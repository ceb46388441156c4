import { test } from "node:test";
import assert from "node:assert/strict";
import { deploymentKind } from "./deployment.ts";
import { validateObject } from "./validate.ts";
import type { StatusCause } from "./errors.ts";

const causesOf = (spec: Record<string, unknown>, status?: Record<string, unknown>): StatusCause[] => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name: "d", namespace: "shop" },
    spec: { release: "shop-1-4-0", environment: "dev", ...spec },
    ...(status ? { status } : {}),
  };
  const result = validateObject(deploymentKind, obj);
  return result.ok ? [] : result.causes;
};

test("each strategy type takes its own knobs", () => {
  assert.deepEqual(causesOf({ strategy: { type: "AllAtOnce" } }), []);
  assert.deepEqual(
    causesOf({
      strategy: { type: "Rolling", maxParallel: 2, maxUnavailable: 0, stagger: "10s", maxFailureRatio: 0.5 },
    }),
    [],
  );
  assert.deepEqual(causesOf({ strategy: { type: "BlueGreen", scaleDownDelay: "10m" } }), []);
});

test("a knob of another strategy is forbidden at its path", () => {
  assert.deepEqual(causesOf({ strategy: { type: "BlueGreen", maxParallel: 2 } }), [
    {
      reason: "FieldValueForbidden",
      field: "spec.strategy.maxParallel",
      message: "Forbidden: may only be set when type is Rolling",
    },
  ]);
  assert.deepEqual(
    causesOf({ strategy: { type: "Rolling", scaleDownDelay: "1m" } }).map((c) => c.field),
    ["spec.strategy.scaleDownDelay"],
  );
});

test("an invalid type and an invalid maxParallel are both reported", () => {
  const got = causesOf({ strategy: { type: "Sideways", maxParallel: 0 } });
  assert.deepEqual(
    got.map((c) => [c.field, c.reason]),
    [
      ["spec.strategy.type", "FieldValueNotSupported"],
      ["spec.strategy.maxParallel", "FieldValueInvalid"],
    ],
  );
});

test("deadlines are positive durations and the failure ratio a fraction", () => {
  const got = causesOf({ progressDeadline: "0s", strategy: { type: "AllAtOnce", maxFailureRatio: 1.5 } });
  assert.deepEqual(
    got.map((c) => c.field),
    ["spec.strategy.maxFailureRatio", "spec.progressDeadline"],
  );
  assert.deepEqual(
    causesOf({ progressDeadline: "2 minutes" }).map((c) => c.field),
    ["spec.progressDeadline"],
  );
});

test("status carries per-target progress, artifacts by digest and a phase from the enum", () => {
  const status = {
    phase: "Progressing",
    observedGeneration: 1,
    strategy: { type: "Rolling", maxParallel: 1 },
    targets: [{ name: "dev-docker", phase: "Succeeded", units: [{ component: "web", healthy: true }] }],
    artifacts: [{ type: "compose-file", digest: `sha256:${"a".repeat(64)}` }],
    progress: "1/1",
    conditions: [{ type: "Progressing", status: "True", reason: "NewReleaseAvailable" }],
  };
  assert.deepEqual(causesOf({}, status), []);
  const bad = causesOf({}, { ...status, phase: "Done", artifacts: [{ type: "compose-file", digest: "sha256:12" }] });
  assert.deepEqual(
    bad.map((c) => c.field),
    ["status.phase", "status.artifacts[0].digest"],
  );
});
