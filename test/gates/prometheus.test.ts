// The metric gate's Prometheus provider against the estate's real Prometheus 2.42.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EnvironmentGate } from "../../crds/environment.ts";
import type { AnalysisState } from "../../controllers/analysis/analysis.ts";
import { MetricQueryError } from "../../sdk/plugins/metric-provider.ts";
import { fixtureRequest, startFixtureServer } from "../../controllers/gates/testing/fixture.ts";
import { metricGate } from "../../controllers/gates/metric/gate.ts";
import { queryPrometheus } from "../../controllers/metrics/prometheus/provider.ts";
import { PROMETHEUS_URL, prometheusSkipReason, waitForSample } from "./prometheus-env.ts";

const skip = await prometheusSkipReason();
const secretValue = fixtureRequest().secretValue;
const query = (q: string) => queryPrometheus({ address: PROMETHEUS_URL, query: q }, secretValue);
const gate = (promql: string, successCondition?: string, address = PROMETHEUS_URL): EnvironmentGate => ({
  name: "prometheus-check",
  metric: { provider: { prometheus: { address, query: promql } }, successCondition },
});
const evaluate = (config: EnvironmentGate) => metricGate.evaluate(fixtureRequest({ config }));
const lastMeasurement = (inputs: Record<string, unknown> | undefined) =>
  (inputs?.analysis as AnalysisState).measurements.at(-1)!;

describe("Prometheus provider", { skip }, () => {
  before(() => waitForSample('up{job="prometheus"}'));

  test("an instant vector of one sample is a number", async () => {
    assert.equal(await query('up{job="prometheus"}'), 1);
    assert.equal(await query("prometheus_build_info"), 1);
  });

  test("scalars, several samples, no samples, NaN", async () => {
    assert.equal(await query('scalar(up{job="prometheus"}) * 2'), 2);
    assert.deepEqual(await query('{job="prometheus", __name__=~"up|prometheus_build_info"}'), [1, 1]);
    assert.deepEqual(await query('up{job="no-such-job"}'), []);
    assert.ok(Number.isNaN(await query("0/0")));
  });

  test("a query Prometheus refuses, and a range vector, are errors", async () => {
    await assert.rejects(
      query("sum("),
      (err) =>
        err instanceof MetricQueryError &&
        /refused the query \(bad_data\): invalid parameter "query": 1:5: parse error/.test(err.message),
    );
    await assert.rejects(
      query('up{job="prometheus"}[1m]'),
      (err) =>
        err instanceof MetricQueryError &&
        /returned a matrix result; the query must give an instant vector or a scalar/.test(err.message),
    );
  });

  test("the metric gate passes on up == 1 and prometheus_build_info", async () => {
    const up = await evaluate(gate('up{job="prometheus"}', "result == 1"));
    assert.equal(up.verdict, "Passed");
    assert.equal(
      up.message,
      'metric gate "prometheus-check": 1 of 1 measurements successful; last: result 1 satisfies `result == 1`',
    );
    const info = await evaluate(gate("prometheus_build_info", "result == 1"));
    assert.equal(info.verdict, "Passed");
    assert.equal(lastMeasurement(info.inputs).value, "1");
    const none = await evaluate(gate('ALERTS{alertstate="firing"}', "size(result) == 0"));
    assert.equal(none.verdict, "Passed", "no firing alerts");
  });

  test("the metric gate fails when the condition does not hold", async () => {
    const result = await evaluate(gate('up{job="prometheus"}', "result == 0"));
    assert.equal(result.verdict, "Failed");
    assert.equal(
      result.message,
      'metric gate "prometheus-check": 1 of 1 measurements failed, more than the 0 tolerated; last failure: result 1 does not satisfy successCondition `result == 0`',
    );
  });

  test("a refused query is an errored measurement, asked again", async () => {
    const result = await evaluate(gate("sum(", "result == 1"));
    assert.equal(result.verdict, "Pending");
    assert.equal(result.retryAfterMs, 10_000);
    assert.equal(lastMeasurement(result.inputs).phase, "Error");
    assert.match(result.message, /Prometheus at http:\/\/127\.0\.0\.1:9090\/ refused the query \(bad_data\)/);
  });

  test("an unreachable Prometheus is an errored measurement", async () => {
    const closed = await startFixtureServer(() => undefined);
    await closed.close();
    const result = await evaluate(gate("up", "result == 1", closed.url));
    assert.equal(result.verdict, "Pending");
    assert.equal(lastMeasurement(result.inputs).message, `POST ${closed.url}/api/v1/query: unreachable (ECONNREFUSED)`);
  });
});
