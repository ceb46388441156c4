// The Canary strategy on the three kinds that carry deployment settings: valid plans pass, and a
// missing, misplaced or inconsistent canary block is refused naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deploymentKind } from "./deployment.ts";
import { environmentKind } from "./environment.ts";
import type { KindInfo } from "./scheme-types.ts";
import { promotionKind } from "./promotion.ts";
import { validateObject } from "./validate.ts";

const canary = {
  component: "web",
  router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "web" } },
  steps: [{ setWeight: 20 }, { pause: { duration: "30s" } }, { analysis: { metrics: ["errors"] } }],
  analysis: {
    metrics: [
      {
        name: "errors",
        interval: "10s",
        successCondition: "result < 0.01",
        provider: { web: { url: "http://m/", jsonPath: "{$.rate}" } },
      },
    ],
  },
  scaleDownDelay: "1m",
};

/** Where each kind keeps its strategy, and an object of that kind holding `strategy`. */
const holders: { kind: KindInfo; at: string; object: (strategy: unknown) => unknown }[] = [
  {
    kind: deploymentKind,
    at: "spec.strategy",
    object: (strategy) => ({ spec: { release: "shop-1-5-0", environment: "prod", strategy } }),
  },
  {
    kind: environmentKind,
    at: "spec.deployment.strategy",
    object: (strategy) => ({ spec: { targetSelector: {}, deployment: { strategy } } }),
  },
  {
    kind: promotionKind,
    at: "spec.deployment.strategy",
    object: (strategy) => ({ spec: { release: "shop-1-5-0", environment: "prod", deployment: { strategy } } }),
  },
];

const causesOf = (h: (typeof holders)[number], strategy: unknown) => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: h.kind.kind,
    metadata: { name: "x", namespace: "shop" },
    ...(h.object(strategy) as object),
  };
  const result = validateObject(h.kind, obj);
  return result.ok ? [] : result.causes.map((c) => [c.field, c.reason, c.message]);
};

test("a Canary strategy with its canary block is valid wherever deployment settings are", () => {
  for (const h of holders) assert.deepEqual(causesOf(h, { type: "Canary", canary }), [], h.kind.kind);
});

test("type Canary requires the canary block, and no other type takes it", () => {
  for (const h of holders) {
    assert.deepEqual(causesOf(h, { type: "Canary" }), [
      [`${h.at}.canary`, "FieldValueRequired", "Required value: required when type is Canary"],
    ]);
    assert.deepEqual(causesOf(h, { type: "BlueGreen", canary }), [
      [`${h.at}.canary`, "FieldValueForbidden", "Forbidden: may only be set when type is Canary"],
    ]);
  }
});

test("the canary block is checked like a Canary's spec, errors naming the field inside it", () => {
  const [deployment] = holders;
  const field = (strategy: unknown) => causesOf(deployment, strategy).map(([f, reason]) => [f, reason]);
  assert.deepEqual(field({ type: "Canary", canary: { ...canary, component: "Web_1" } }), [
    ["spec.strategy.canary.component", "FieldValueInvalid"],
  ]);
  assert.deepEqual(field({ type: "Canary", canary: { ...canary, steps: [] } }), [
    ["spec.strategy.canary.steps", "FieldValueRequired"],
  ]);
  assert.deepEqual(field({ type: "Canary", canary: { ...canary, router: { plugin: "haproxy" } } }), [
    ["spec.strategy.canary.router.haproxy", "FieldValueRequired"],
  ]);
  assert.deepEqual(field({ type: "Canary", canary: { ...canary, steps: [{ setWeight: 10, pause: {} }] } }), [
    ["spec.strategy.canary.steps[0].pause", "FieldValueForbidden"],
  ]);
  const unknownMetric = { ...canary, steps: [{ analysis: { metrics: ["latency"] } }] };
  assert.deepEqual(causesOf(deployment, { type: "Canary", canary: unknownMetric }), [
    [
      "spec.strategy.canary.steps[0].analysis.metrics[0]",
      "FieldValueNotFound",
      'Not found: "latency": must name a metric in canary.analysis.metrics',
    ],
  ]);
  assert.deepEqual(field({ type: "Canary", canary: { ...canary, release: "shop-1-5-0" } }), [
    ["spec.strategy.canary.release", "FieldValueInvalid"],
  ]);
});
