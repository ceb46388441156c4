import { test } from "node:test";
import assert from "node:assert/strict";
import { deploymentKind } from "./deployment.ts";
import { releaseKind } from "./release.ts";
import { environmentKind } from "./environment.ts";
import { formatFieldPath, validateObject } from "./validate.ts";
import type { StatusCause } from "./errors.ts";

const deployment = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "d", namespace: "shop" },
  spec: { release: "r", environment: "dev", ...spec },
  ...extra,
});

function causes(result: ReturnType<typeof validateObject>): StatusCause[] {
  assert.equal(result.ok, false);
  return result.ok ? [] : result.causes;
}

test("field paths use dots for fields and brackets for indexes and odd keys", () => {
  assert.equal(formatFieldPath(["spec", "components", 0, "image"]), "spec.components[0].image");
  assert.equal(
    formatFieldPath(["metadata", "labels", "stella.io/environment"]),
    "metadata.labels[stella.io/environment]",
  );
  assert.equal(formatFieldPath([]), "");
});

test("an unsupported enum value lists the supported values", () => {
  const [cause] = causes(validateObject(deploymentKind, deployment({ strategy: { type: "Sideways" } })));
  assert.deepEqual(cause, {
    reason: "FieldValueNotSupported",
    field: "spec.strategy.type",
    message: 'Unsupported value: "Sideways": supported values: "AllAtOnce", "Rolling", "BlueGreen", "Canary"',
  });
});

test("each unknown key is its own cause at its full path", () => {
  const got = causes(
    validateObject(deploymentKind, deployment({ strategy: { type: "Rolling", maxParalel: 2 }, colour: "red" })),
  );
  assert.deepEqual(
    got.map((c) => [c.field, c.message, c.reason]),
    [
      ["spec.strategy.maxParalel", 'unknown field "maxParalel"', "FieldValueInvalid"],
      ["spec.colour", 'unknown field "colour"', "FieldValueInvalid"],
    ],
  );
});

test("a missing field is Required and a wrong type is TypeInvalid", () => {
  const obj = deployment({ progressDeadline: 5 });
  delete (obj.spec as Record<string, unknown>).release;
  const got = causes(validateObject(deploymentKind, obj));
  assert.deepEqual(
    got.find((c) => c.field === "spec.release"),
    { reason: "FieldValueRequired", field: "spec.release", message: "Required value" },
  );
  assert.deepEqual(
    got.find((c) => c.field === "spec.progressDeadline"),
    {
      reason: "FieldValueTypeInvalid",
      field: "spec.progressDeadline",
      message: "Invalid value: 5: must be of type string",
    },
  );
});

test("numbers out of range and wrong apiVersion read like Kubernetes", () => {
  const got = causes(
    validateObject(deploymentKind, deployment({ strategy: { type: "Rolling", maxParallel: 0 } }, { apiVersion: "v1" })),
  );
  assert.deepEqual(
    got.map((c) => [c.field, c.message]),
    [
      ["apiVersion", 'Unsupported value: "v1": supported values: "release.stella.io/v1alpha1"'],
      ["spec.strategy.maxParallel", "Invalid value: 0: must be greater than or equal to 1"],
    ],
  );
});

test("an int-or-string port reports the branch its type chose", () => {
  const release = (port: unknown) => ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name: "r" },
    spec: { version: "1", components: [{ name: "web", image: "web:1", healthCheck: { tcp: { port } } }] },
  });
  const field = "spec.components[0].healthCheck.tcp.port";
  const typeCause = causes(validateObject(releaseKind, release(true))).find((c) => c.field === field);
  assert.equal(typeCause?.reason, "FieldValueTypeInvalid");
  assert.match(typeCause?.message ?? "", /^Invalid value: true: must be of type number or string$/);
  const rangeCause = causes(validateObject(releaseKind, release(70000))).find((c) => c.field === field);
  assert.equal(rangeCause?.message, "Invalid value: 70000: must be less than or equal to 65535");
  const nameCause = causes(validateObject(releaseKind, release("Not_A_Port"))).find((c) => c.field === field);
  assert.match(nameCause?.message ?? "", /^Invalid value: "Not_A_Port": must be an IANA service name/);
});

test("label keys and values are checked with the key in the path", () => {
  const env = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name: "dev", labels: { "bad key!": "x", ok: "bad value!" } },
    spec: { targetSelector: {} },
  };
  const got = causes(validateObject(environmentKind, env));
  assert.deepEqual(
    got.map((c) => c.field),
    ["metadata.labels[bad key!]", "metadata.labels.ok"],
  );
  assert.match(got[0].message, /^Invalid value: "bad key!": must be a qualified name/);
});

test("an object that is not an object has a cause without a field", () => {
  const got = causes(validateObject(deploymentKind, "hello"));
  assert.deepEqual(got, [
    { reason: "FieldValueTypeInvalid", message: 'Invalid value: "hello": must be of type object' },
  ]);
});

test("a valid object comes back parsed", () => {
  const result = validateObject(deploymentKind, deployment({ strategy: { type: "AllAtOnce" } }));
  assert.ok(result.ok);
  assert.equal(result.value.kind, "Deployment");
});
