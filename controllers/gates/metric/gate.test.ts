import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { EnvironmentGate } from "../../../crds/environment.ts";
import type { GateResult } from "../../../sdk/plugins/gate.ts";
import type { AnalysisState } from "../../analysis/index.ts";
import { type FixtureServer, fixturePromotion, fixtureRequest, startFixtureServer } from "../testing/fixture.ts";
import { metricGate } from "./gate.ts";

// The web provider's endpoint: GET /rate answers {"data": {"errorRate": <rate>}}; /broken answers 500.
let rate = 0.002;
let server: FixtureServer;
before(async () => {
  server = await startFixtureServer((req, res) => {
    if (req.url === "/rate")
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ data: { errorRate: rate } }));
    else res.writeHead(500).end("backend down");
  });
});
after(() => server.close());

const T0 = new Date("2026-11-25T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const metricGateConfig = (
  metric: Partial<NonNullable<EnvironmentGate["metric"]>> = {},
  path = "/rate",
): EnvironmentGate => ({
  name: "error-rate",
  metric: {
    provider: { web: { url: `${server.url}${path}`, jsonPath: "{$.data.errorRate}" } },
    successCondition: "result < 0.01",
    ...metric,
  },
});

/** What the promotion controller does between calls: record the verdict under the gate's name. */
async function evaluate(config: EnvironmentGate, now: Date, previous?: GateResult): Promise<GateResult> {
  const promotion = fixturePromotion(
    previous
      ? [
          {
            name: config.name,
            type: "metric",
            verdict: previous.verdict,
            message: previous.message,
            inputs: previous.inputs,
          },
        ]
      : undefined,
  );
  return metricGate.evaluate(fixtureRequest({ config, promotion, now }));
}
const analysis = (r: GateResult) => r.inputs?.analysis as AnalysisState;

test("one measurement when count is absent", async () => {
  rate = 0.002;
  const result = await evaluate(metricGateConfig(), T0);
  assert.equal(result.verdict, "Passed");
  assert.equal(
    result.message,
    'metric gate "error-rate": 1 of 1 measurements successful; last: result 0.002 satisfies `result < 0.01`',
  );
  assert.equal(analysis(result).measurements[0].value, "0.002");
  assert.deepEqual((result.inputs?.metric as { provider: unknown }).provider, {
    type: "web",
    url: `${server.url}/rate`,
    jsonPath: "{$.data.errorRate}",
  });
});

test("count measurements interval apart across evaluations, the state carried in the recorded inputs", async () => {
  const config = metricGateConfig({ count: 3, interval: "30s", failureLimit: 1 });
  rate = 0.002;
  const first = await evaluate(config, T0);
  assert.equal(first.verdict, "Pending");
  assert.equal(first.retryAfterMs, 30_000);
  assert.match(
    first.message,
    /measurement 1 of 3: result 0\.002 satisfies `result < 0\.01`; next measurement at 2026-11-25T12:00:30Z$/,
  );

  const calls = server.received.length;
  const early = await evaluate(config, at(10), first);
  assert.equal(server.received.length, calls, "an early call measures nothing");
  assert.deepEqual([early.verdict, early.retryAfterMs], ["Pending", 20_000]);
  assert.equal(
    early.message,
    'metric gate "error-rate": 1 of 3 measurements taken; next measurement at 2026-11-25T12:00:30Z',
  );

  rate = 0.05;
  const second = await evaluate(config, at(30), early);
  assert.equal(second.verdict, "Pending", "one failure is within failureLimit 1");
  assert.equal(analysis(second).failed, 1);
  rate = 0.001;
  const third = await evaluate(config, at(60), second);
  assert.equal(third.verdict, "Passed");
  assert.match(third.message, /2 of 3 measurements successful \(1 failed, 0 inconclusive, within the limits\)/);
  assert.deepEqual(
    analysis(third).measurements.map((m) => m.value),
    ["0.002", "0.05", "0.001"],
  );

  const again = await evaluate(config, at(600), third);
  assert.equal(again.verdict, "Passed", "a call after the final verdict repeats it");
  assert.equal(server.received.length, calls + 2);
});

test("a failing measurement beyond failureLimit fails the gate", async () => {
  rate = 0.03;
  const result = await evaluate(metricGateConfig({ count: 4, interval: "1m" }), T0);
  assert.equal(result.verdict, "Failed");
  assert.equal(
    result.message,
    'metric gate "error-rate": 1 of 1 measurements failed, more than the 0 tolerated; last failure: result 0.03 does not satisfy successCondition `result < 0.01`',
  );
});

test("provider errors are retried after 10s and end in Error past consecutiveErrorLimit", async () => {
  const config = metricGateConfig({ consecutiveErrorLimit: 1 }, "/broken");
  const first = await evaluate(config, T0);
  assert.deepEqual([first.verdict, first.retryAfterMs], ["Pending", 10_000]);
  assert.equal(
    first.message,
    `metric gate "error-rate": measurement errored (1 in a row): GET ${server.url}/broken answered 500: backend down; next measurement at 2026-11-25T12:00:10Z`,
  );
  const second = await evaluate(config, at(10), first);
  assert.equal(second.verdict, "Error");
  assert.equal(second.retryAfterMs, undefined);
  assert.match(
    second.message,
    /^metric gate "error-rate": 2 measurements in a row errored, more than the 1 tolerated; last error: GET .* answered 500/,
  );
});

test("a missing value and a condition that does not apply are errored measurements", async () => {
  rate = 0.001;
  const missing = await evaluate(
    { name: "error-rate", metric: { provider: { web: { url: `${server.url}/rate`, jsonPath: "$.data.p99" } } } },
    T0,
  );
  assert.equal(missing.verdict, "Pending");
  assert.match(analysis(missing).measurements[0].message ?? "", /has no value at \$\.data\.p99/);
  const list = await evaluate(
    {
      name: "error-rate",
      metric: {
        provider: { web: { url: `${server.url}/rate`, jsonPath: "$.data.*" } },
        successCondition: "result < 0.01",
      },
    },
    T0,
  );
  assert.equal(analysis(list).measurements[0].phase, "Error");
  assert.match(
    analysis(list).measurements[0].message ?? "",
    /^successCondition `result < 0.01` on result \[0\.001\]: no such overload: .* \(result is a list of 1 value\)$/,
  );
});

test("changed settings start a new analysis", async () => {
  rate = 0.002;
  const config = metricGateConfig({ count: 2, interval: "30s" });
  const first = await evaluate(config, T0);
  const changed = await evaluate(
    { ...config, metric: { ...config.metric!, successCondition: "result < 0.001" } },
    at(30),
    first,
  );
  assert.equal(analysis(changed).measurements.length, 1);
  assert.equal(changed.verdict, "Failed");
});

test("a condition that does not parse is Error before any measurement", async () => {
  const calls = server.received.length;
  const result = await evaluate(metricGateConfig({ successCondition: "result <" }), T0);
  assert.equal(result.verdict, "Error");
  assert.equal(result.retryAfterMs, undefined);
  assert.equal(
    result.message,
    'metric gate "error-rate": successCondition `result <`: Unexpected token: EOF (at offset 8)',
  );
  assert.equal(server.received.length, calls);
});
