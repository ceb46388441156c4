// The metric-provider conformance suite: one function every provider's test calls against a real
// backend, with queries of its own. For each it checks what metric analysis relies on:
//   - a query that can be answered resolves with a metric value (JSON; numbers may be NaN or ±Inf,
//     as Prometheus reports them), and the same one it was told to expect, where given;
//   - a query that cannot be answered rejects with MetricQueryError naming the provider, never
//     another error and never a made-up value (no data is not a pass);
//   - no value read through secretValue appears in an error message;
//   - an aborted caller gets its own abort back, not a MetricQueryError that would count as an error.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MetricQueryError,
  type MetricProvider,
  type MetricQuery,
  type MetricValue,
} from "../plugins/metric-provider.ts";

/** One query of the provider's settings. */
export interface MetricScenario {
  name: string;
  /** The provider's settings (`spec.provider.<type>`). */
  settings: () => unknown;
  /** The value it must give; a MetricQueryError when `fails` is set. */
  value?: MetricValue;
  /** The query cannot be answered: it must reject with MetricQueryError. */
  fails?: boolean;
}

/** Options of metricProviderConformance. */
export interface MetricProviderConformanceOptions {
  provider: MetricProvider;
  scenarios: readonly MetricScenario[];
  /** Secret values the settings may name ("name/key" → value). */
  secrets?: Record<string, string>;
  /** Settings of a query slow enough to abort while it runs. */
  slow?: () => unknown;
  /** Set to skip the whole suite (the backend is not available here). */
  skip?: string;
}

/** Registers the metric-provider conformance cases (node:test describe/it) for one provider. */
export function metricProviderConformance(opts: MetricProviderConformanceOptions): void {
  describe(`metric provider conformance: ${opts.provider.type}`, { skip: opts.skip }, () => {
    const secretValue: MetricQuery["secretValue"] = async ({ name, key }) => {
      const value = opts.secrets?.[`${name}/${key ?? ""}`];
      if (value === undefined) throw new Error(`no Secret ${name}/${key ?? ""}`);
      return value;
    };
    for (const s of opts.scenarios) {
      it(s.name, async () => {
        const run = opts.provider.query({ settings: s.settings(), secretValue });
        if (!s.fails) {
          const value = await run;
          assertMetricValue(value);
          if (s.value !== undefined) assert.deepEqual(value, s.value);
          return;
        }
        await assert.rejects(run, (err) => {
          assert.ok(err instanceof MetricQueryError, `not a MetricQueryError: ${String(err)}`);
          assert.equal(err.provider, opts.provider.type);
          for (const secret of Object.values(opts.secrets ?? {}))
            assert.ok(!err.message.includes(secret), "a Secret value in the message");
          return true;
        });
      });
    }
    if (opts.slow) {
      const slow = opts.slow;
      it("gives an aborted caller its own abort", async () => {
        const controller = new AbortController();
        const reason = new Error("caller gave up");
        const run = opts.provider.query({ settings: slow(), secretValue, signal: controller.signal });
        setTimeout(() => controller.abort(reason), 50);
        await assert.rejects(run, (err) => !(err instanceof MetricQueryError));
      });
    }
  });
}

function assertMetricValue(v: unknown): void {
  if (v === null || ["boolean", "number", "string"].includes(typeof v)) return;
  if (Array.isArray(v)) return v.forEach(assertMetricValue);
  assert.ok(typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype, `not a metric value: ${String(v)}`);
  Object.values(v as object).forEach(assertMetricValue);
}
