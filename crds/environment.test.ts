import { test } from "node:test";
import assert from "node:assert/strict";
import { environmentKind, RRULE } from "./environment.ts";
import { validateObject } from "./validate.ts";
import type { StatusCause } from "./errors.ts";

const causesOf = (spec: Record<string, unknown>, name = "prod"): StatusCause[] => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name, namespace: "shop" },
    spec: { targetSelector: {}, ...spec },
  };
  const result = validateObject(environmentKind, obj);
  return result.ok ? [] : result.causes;
};

test("an environment cannot be its own upstream, nor list one twice", () => {
  assert.deepEqual(
    causesOf({ upstream: ["staging", "prod", "staging"] }).map((c) => [c.field, c.reason]),
    [
      ["spec.upstream[2]", "FieldValueDuplicate"],
      ["spec.upstream[1]", "FieldValueInvalid"],
    ],
  );
});

test("requiredSoak needs an upstream to soak in", () => {
  assert.deepEqual(
    causesOf({ requiredSoak: "1h" }).map((c) => [c.field, c.reason]),
    [["spec.requiredSoak", "FieldValueForbidden"]],
  );
  assert.deepEqual(causesOf({ requiredSoak: "1h", upstream: ["staging"] }), []);
});

test("freeze windows need an RRULE with FREQ and a positive duration", () => {
  assert.ok(RRULE.test("FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0"));
  assert.ok(RRULE.test("BYDAY=SA,SU;FREQ=WEEKLY"));
  assert.ok(!RRULE.test("BYDAY=FR"));
  assert.ok(!RRULE.test("every friday"));
  const got = causesOf({ freezeWindows: [{ rrule: "BYDAY=FR", duration: "0s" }] });
  assert.deepEqual(
    got.map((c) => c.field),
    ["spec.freezeWindows[0].rrule", "spec.freezeWindows[0].duration"],
  );
});

test("a gate is exactly one of webhook, metric or plugin", () => {
  const webhook = { url: "http://127.0.0.1:8080/gate" };
  assert.deepEqual(causesOf({ gates: [{ name: "ci", webhook }] }), []);
  assert.deepEqual(
    causesOf({ gates: [{ name: "ci" }] }).map((c) => [c.field, c.reason]),
    [["spec.gates[0]", "FieldValueRequired"]],
  );
  const both = causesOf({ gates: [{ name: "ci", webhook, plugin: { name: "x" } }] });
  assert.deepEqual(
    both.map((c) => [c.field, c.reason]),
    [["spec.gates[0].plugin", "FieldValueForbidden"]],
  );
  const metric = {
    provider: { prometheus: { address: "http://127.0.0.1:9090", query: "up" } },
    successCondition: "result == 1",
  };
  assert.deepEqual(causesOf({ gates: [{ name: "up", metric }] }), []);
});

test("a metric condition that is not CEL over result is refused at admission, naming the field", () => {
  const metric = (condition: Record<string, string>) => ({
    provider: { prometheus: { address: "http://127.0.0.1:9090", query: "up" } },
    ...condition,
  });
  const causes = causesOf({
    gates: [
      { name: "a", metric: metric({ successCondition: "result <" }) },
      { name: "b", metric: metric({ failureCondition: "results > 1" }) },
    ],
  });
  assert.deepEqual(
    causes.map((c) => [c.field, c.reason]),
    [
      ["spec.gates[0].metric.successCondition", "FieldValueInvalid"],
      ["spec.gates[1].metric.failureCondition", "FieldValueInvalid"],
    ],
  );
  assert.match(causes[1].message, /CEL condition `results > 1`: Unknown variable: results/);
});

test("approvals need a count; the selector is required", () => {
  assert.deepEqual(
    causesOf({ approvals: { separationOfDuties: true } }).map((c) => [c.field, c.reason]),
    [["spec.approvals.required", "FieldValueRequired"]],
  );
  const obj = { apiVersion: "release.stella.io/v1alpha1", kind: "Environment", metadata: { name: "x" }, spec: {} };
  const result = validateObject(environmentKind, obj);
  assert.deepEqual(result.ok ? [] : result.causes.map((c) => c.field), ["spec.targetSelector"]);
});
