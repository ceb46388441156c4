// Every built-in gate through the gate conformance suite (sdk/testing/gate-conformance.ts), each
// with scenarios that reach its main verdicts. The webhook and metric gates ask a local HTTP
// server; the webhook's signing key is a Secret value the suite checks never shows.
import { after } from "node:test";
import { approvalBinding } from "../../crds/approval-binding.ts";
import type { Condition } from "../../crds/meta.ts";
import type { EnvironmentGate } from "../../crds/environment.ts";
import type { GateRequest } from "../../sdk/plugins/gate.ts";
import { gateConformance, type GateScenario } from "../../sdk/testing/gate-conformance.ts";
import { approval, landed, promotion, release } from "../promotion/testing/objects.ts";
import { builtinGates } from "./index.ts";
import {
  type FixtureServer,
  fixtureEnvironment,
  fixtureRelease,
  fixtureRequest,
  startFixtureServer,
} from "./testing/fixture.ts";

const NOW = new Date("2026-11-25T12:00:00Z"); // a Wednesday
const HOUR = 3_600_000;
const SECRETS = { "hook-key/hmac": "conformance-signing-key-0f3a", "prom-token/token": "conformance-token-77c1" };

const server: FixtureServer = await startFixtureServer((req, res) => {
  if (req.url.startsWith("/ok")) res.writeHead(200).end("go ahead");
  else if (req.url.startsWith("/deny")) res.writeHead(403).end("change ticket not approved");
  else if (req.url.startsWith("/busy")) res.writeHead(503, { "Retry-After": "2" }).end();
  else if (req.url === "/rate")
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"data":{"errorRate":0.002}}');
  else if (req.url === "/high")
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"data":{"errorRate":0.2}}');
  else res.writeHead(500).end("backend down");
});
after(() => server.close());

/** A request of the shop example's prod promotion with `overrides`; with `stagingHours`, the release landed in
 * staging that many hours ago. */
function request(
  overrides: Partial<GateRequest> & { config?: EnvironmentGate } = {},
  stagingHours?: number,
): () => GateRequest {
  return () => {
    const base = fixtureRequest({ config: overrides.config, now: NOW, secrets: SECRETS });
    const staging = stagingHours === undefined ? [] : [landed("s1", base.promotion.spec.release, "staging", 0)];
    const shifted = staging.map((d) => ({
      ...d,
      status: { ...d.status, completedAt: new Date(NOW.getTime() - (stagingHours ?? 0) * HOUR).toISOString() },
    }));
    return { ...base, deployments: (e) => shifted.filter((d) => d.spec.environment === e), ...overrides };
  };
}

const env = fixtureEnvironment;
const webhook = (path: string): EnvironmentGate => ({
  name: "change-board",
  webhook: { url: `${server.url}${path}`, signingSecretRef: { name: "hook-key", key: "hmac" } },
});
const metric = (path: string): EnvironmentGate => ({
  name: "error-rate",
  metric: {
    provider: { web: { url: `${server.url}${path}`, jsonPath: "{$.data.errorRate}" } },
    successCondition: "result < 0.01",
  },
});
const verified = (status: "True" | "False", reason: string): Condition => ({
  type: "Verified",
  status,
  reason,
  message: reason,
});
const signed = (c?: Condition) =>
  release("shop-1-4-0", { verification: { publicKeySecretRef: { name: "cosign-key" } } }, c ? [c] : []);

const scenarios: Record<string, GateScenario[]> = {
  upstream: [
    { name: "waits while staging has not run the release", request: request(), verdict: "Pending" },
    { name: "passes once staging ran it", request: request({}, 1), verdict: "Passed" },
  ],
  soak: [
    {
      name: "waits while the soak runs",
      request: request({ environment: env({ requiredSoak: "2h" }) }, 1),
      verdict: "Pending",
    },
    {
      name: "passes after the soak",
      request: request({ environment: env({ requiredSoak: "2h" }) }, 3),
      verdict: "Passed",
    },
  ],
  freeze: [
    {
      name: "passes outside the window",
      request: request({
        environment: env({ freezeWindows: [{ rrule: "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16", duration: "64h" }] }),
      }),
      verdict: "Passed",
    },
    {
      name: "waits inside the window",
      request: request({
        environment: env({ freezeWindows: [{ rrule: "FREQ=WEEKLY;BYDAY=WE;BYHOUR=10", duration: "4h" }] }),
      }),
      verdict: "Pending",
    },
    {
      name: "errors on a rule it cannot read",
      request: request({ environment: env({ freezeWindows: [{ rrule: "FREQ=SOMETIMES", duration: "1h" }] }) }),
      verdict: "Error",
    },
  ],
  signature: [
    {
      name: "passes on Verified=True",
      request: request({ release: signed(verified("True", "Verified")) }),
      verdict: "Passed",
    },
    {
      name: "fails on a bad signature",
      request: request({ release: signed(verified("False", "SignatureInvalid")) }),
      verdict: "Failed",
    },
    { name: "waits before verification", request: request({ release: signed() }), verdict: "Pending" },
  ],
  webhook: [
    { name: "passes on 2xx", request: request({ config: webhook("/ok") }), verdict: "Passed" },
    { name: "fails on 403", request: request({ config: webhook("/deny") }), verdict: "Failed" },
    { name: "errors, to be asked again, on 503", request: request({ config: webhook("/busy") }), verdict: "Error" },
  ],
  metric: [
    { name: "passes under the limit", request: request({ config: metric("/rate") }), verdict: "Passed" },
    { name: "fails over the limit", request: request({ config: metric("/high") }), verdict: "Failed" },
  ],
  approval: [
    {
      name: "waits for approvals",
      request: request({ environment: env({ approvals: { required: 1 } }) }),
      verdict: "Pending",
    },
    {
      name: "passes with enough approvals",
      request: request({
        environment: env({ approvals: { required: 1 } }),
        promotion: promotion(
          "p",
          { environment: "prod", release: "shop-1-4-0" },
          {
            approvals: [
              approval(
                "bob",
                "Approved",
                1,
                undefined,
                approvalBinding(fixtureRelease(), env({ approvals: { required: 1 } })),
              ),
            ],
          },
        ),
      }),
      verdict: "Passed",
    },
  ],
};

for (const gate of builtinGates) {
  const own = scenarios[gate.type];
  if (!own) throw new Error(`gate ${gate.type} has no conformance scenarios`);
  gateConformance({ gate, scenarios: own });
}
