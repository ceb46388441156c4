import { test } from "node:test";
import assert from "node:assert/strict";
import { canaryKind } from "./canary.ts";
import { validateObject } from "./validate.ts";
import type { StatusCause } from "./errors.ts";

const haproxy = { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "web" } };
const errorRate = { name: "error-rate", provider: { prometheus: { address: "http://127.0.0.1:9090", query: "x" } } };
const causesOf = (spec: Record<string, unknown>): StatusCause[] => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name: "c", namespace: "shop" },
    spec: { release: "r", environment: "prod", component: "web", router: haproxy, steps: [{ setWeight: 10 }], ...spec },
  };
  const result = validateObject(canaryKind, obj);
  return result.ok ? [] : result.causes;
};

test("a step is exactly one action", () => {
  assert.deepEqual(causesOf({ steps: [{ setWeight: 10 }, { pause: {} }, { setHeaderRoute: { name: "beta" } }] }), []);
  assert.deepEqual(
    causesOf({ steps: [{ setWeight: 10, pause: {} }] }).map((c) => [c.field, c.reason]),
    [["spec.steps[0].pause", "FieldValueForbidden"]],
  );
  assert.deepEqual(
    causesOf({ steps: [{}] }).map((c) => [c.field, c.reason]),
    [["spec.steps[0]", "FieldValueRequired"]],
  );
  assert.deepEqual(
    causesOf({ steps: [{ setWeight: 101 }] }).map((c) => c.field),
    ["spec.steps[0].setWeight"],
  );
});

test("analysis steps name metrics the canary defines", () => {
  const analysis = { metrics: [errorRate] };
  assert.deepEqual(causesOf({ analysis, steps: [{ analysis: { metrics: ["error-rate"] } }] }), []);
  const got = causesOf({ analysis, steps: [{ setWeight: 5 }, { analysis: { metrics: ["error-rate", "latency"] } }] });
  assert.deepEqual(got, [
    {
      reason: "FieldValueNotFound",
      field: "spec.steps[1].analysis.metrics[1]",
      message: 'Not found: "latency": must name a metric in spec.analysis.metrics',
    },
  ]);
});

test("a metric has exactly one provider and a unique name", () => {
  const noProvider = causesOf({ analysis: { metrics: [{ ...errorRate, provider: {} }] } });
  assert.deepEqual(
    noProvider.map((c) => c.field),
    ["spec.analysis.metrics[0].provider"],
  );
  const twice = causesOf({ analysis: { metrics: [errorRate, errorRate] } });
  assert.deepEqual(
    twice.map((c) => [c.field, c.reason]),
    [["spec.analysis.metrics[1].name", "FieldValueDuplicate"]],
  );
});

test("a built-in router needs its block; another plugin takes config", () => {
  assert.deepEqual(
    causesOf({ router: { plugin: "haproxy" } }).map((c) => [c.field, c.reason]),
    [["spec.router.haproxy", "FieldValueRequired"]],
  );
  assert.deepEqual(causesOf({ router: { plugin: "traefik", config: { anything: [1, 2] } } }), []);
  assert.deepEqual(
    causesOf({ router: { ...haproxy, plugin: "traefik" } }).map((c) => c.field),
    ["spec.router.haproxy"],
  );
});

test("background analysis names metrics the canary defines and starts at an existing step", () => {
  const analysis = (background: Record<string, unknown>) => ({ metrics: [errorRate], background });
  assert.deepEqual(causesOf({ analysis: analysis({ metrics: ["error-rate"], startingStep: 0 }) }), []);
  assert.deepEqual(
    causesOf({ analysis: analysis({ metrics: ["latency"] }) }).map((c) => [c.field, c.reason]),
    [["spec.analysis.background.metrics[0]", "FieldValueNotFound"]],
  );
  assert.deepEqual(
    causesOf({ analysis: analysis({ metrics: ["error-rate"], startingStep: 1 }) }).map((c) => [c.field, c.reason]),
    [["spec.analysis.background.startingStep", "FieldValueInvalid"]],
  );
});

test("a cookie route matches a cookie name and an exact value", () => {
  const route = { name: "beta", match: [{ cookieName: "canary_user", cookieValue: { exact: "beta" } }] };
  assert.deepEqual(causesOf({ steps: [{ setCookieRoute: route }] }), []);
  const prefix = { name: "beta", match: [{ cookieName: "canary_user", cookieValue: { prefix: "b" } }] };
  assert.deepEqual(
    causesOf({ steps: [{ setCookieRoute: prefix }] }).map((c) => c.field),
    [
      "spec.steps[0].setCookieRoute.match[0].cookieValue.exact",
      "spec.steps[0].setCookieRoute.match[0].cookieValue.prefix",
    ],
  );
});
