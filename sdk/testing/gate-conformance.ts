// The gate conformance suite: one function every gate's test calls with scenarios of its own (a
// request and, where the scenario decides it, the verdict it must give). For each scenario it checks
// what the promotion controller relies on, whatever the gate decides:
//   - evaluate settles with a known verdict and words a person can act on; it does not throw for
//     a request it cannot satisfy (that is a Failed, Pending or Error verdict);
//   - inputs are plain JSON (no Dates, Maps, NaN or class instances), since status and evidence
//     store them as JSON;
//   - no value read through secretValue appears in the message or the inputs;
//   - the request is left as it was (gates read shared informer caches);
//   - asked again with the same request, it gives the same verdict (a restarted controller asks
//     again, and must not see another answer for the same facts);
//   - a retry delay, when given, is a positive, finite number of milliseconds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GateVerdict } from "../../crds/promotion.ts";
import type { Gate, GateRequest, GateResult } from "../plugins/gate.ts";

const VERDICTS: readonly GateVerdict[] = ["Pending", "Passed", "Failed", "Error", "Skipped"];

/** One situation the gate is asked about. */
export interface GateScenario {
  name: string;
  /** A fresh request; its secretValue is wrapped by the suite to see which values the gate read. */
  request(): GateRequest;
  /** The verdict this scenario must give; any known verdict when absent. */
  verdict?: GateVerdict;
  /** Set when asking twice legitimately differs (a counter on the far side); the repeat check is skipped. */
  notRepeatable?: boolean;
}

/** Options of gateConformance. */
export interface GateConformanceOptions {
  gate: Gate;
  scenarios: readonly GateScenario[];
  /** Runs before the scenarios (start a fixture server); after() undoes it. */
  before?(): Promise<void>;
  after?(): Promise<void>;
}

/** Registers the gate conformance cases (node:test describe/it) for one gate. */
export function gateConformance(opts: GateConformanceOptions): void {
  describe(`gate conformance: ${opts.gate.type}`, () => {
    if (opts.before) it("sets up", opts.before);
    it("has a type", () => assert.match(opts.gate.type, /^[a-z][a-z0-9-]*$/));
    for (const s of opts.scenarios) it(s.name, () => checkGateScenario(opts.gate, s));
    if (opts.after) it("cleans up", opts.after);
  });
}

/** Checks one scenario of `gate`; rejects with an AssertionError naming what the gate got wrong. */
export async function checkGateScenario(gate: Gate, s: GateScenario): Promise<void> {
  const read: string[] = [];
  const request = withSecretTap(s.request(), read);
  const before = JSON.stringify(snapshot(request));
  const result = await gate.evaluate(request);
  checkResult(result, s);
  assert.equal(JSON.stringify(snapshot(request)), before, "the request was changed");
  const shown = JSON.stringify({ message: result.message, inputs: result.inputs ?? null });
  for (const secret of read) assert.ok(!shown.includes(secret), `a Secret value appears in the result: ${shown}`);
  if (s.notRepeatable) return;
  const again = await gate.evaluate(withSecretTap(s.request(), read));
  assert.equal(
    again.verdict,
    result.verdict,
    `asked again: ${again.verdict} (${again.message}) after ${result.verdict}`,
  );
}

function checkResult(result: GateResult, s: GateScenario): void {
  assert.ok(VERDICTS.includes(result.verdict), `unknown verdict ${String(result.verdict)}`);
  if (s.verdict) assert.equal(result.verdict, s.verdict, `verdict ${result.verdict}: ${result.message}`);
  assert.equal(typeof result.message, "string");
  assert.ok(result.message.trim().length > 0, "the message is empty");
  if (result.inputs !== undefined) assertPlainJson(result.inputs, "inputs");
  if (result.retryAfterMs !== undefined) {
    assert.ok(Number.isFinite(result.retryAfterMs) && result.retryAfterMs > 0, `retryAfterMs ${result.retryAfterMs}`);
  }
}

function withSecretTap(req: GateRequest, read: string[]): GateRequest {
  return {
    ...req,
    async secretValue(ref) {
      const value = await req.secretValue(ref);
      read.push(value);
      return value;
    },
  };
}

/** What of a request must stay as it was: the objects and the other environments. */
function snapshot(req: GateRequest): unknown {
  return {
    promotion: req.promotion,
    release: req.release,
    environment: req.environment,
    environments: [...req.environments],
  };
}

/** Fails unless `v` is null, a boolean, a finite number, a string, or arrays and plain objects of those. */
function assertPlainJson(v: unknown, path: string): void {
  if (v === null || typeof v === "boolean" || typeof v === "string") return;
  if (typeof v === "number") return assert.ok(Number.isFinite(v), `${path} is ${v}, which JSON cannot hold`);
  if (Array.isArray(v)) return v.forEach((x, i) => assertPlainJson(x, `${path}[${i}]`));
  assert.ok(typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype, `${path} is not plain JSON`);
  for (const [k, x] of Object.entries(v as object)) if (x !== undefined) assertPlainJson(x, `${path}.${k}`);
}
