// The canary walker end to end through a real haproxy (its runtime API) and, for analysis, the
// estate's real Prometheus: weights walk and are read back, a header route sends only matching
// requests to the canary, a failed analysis and `stella canary abort` send all traffic back to
// stable BEFORE the canary units go, promote releases a pause and completes, an unreachable
// metric provider is never a pass, and an unreachable router pauses the canary with its reason.
// The units are identity backends on loopback ports (see "what is missing" in the README).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Canary, CanarySpec } from "../../crds/canary.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import { type CanaryDeps, routerFor, walk } from "../../controllers/canary/index.ts";
import { type IdentityBackends, sendRequests, startIdentityBackends } from "../../sdk/testing/router-conformance.ts";
import { prometheusSkipReason, PROMETHEUS_URL } from "../gates/prometheus-env.ts";
import { type HaproxyServer, startHaproxy } from "../routers/haproxy-server.ts";
import { routerSkipReason } from "../routers/router-env.ts";

const skip = (await routerSkipReason("haproxy")) ?? (await prometheusSkipReason());

describe("canary walker through haproxy", { skip }, () => {
  let backends: IdentityBackends;
  let haproxy: HaproxyServer;
  const evidence: { name: string; spec: EvidencePacketSpec }[] = [];
  /** What the units saw when they were removed: the requests that still reached each side. */
  const removals: { side: string; tally: Awaited<ReturnType<typeof sendRequests>> }[] = [];
  let seq = 0;

  before(async () => {
    backends = await startIdentityBackends();
    haproxy = await startHaproxy("canary_web", backends);
  });
  after(async () => {
    await haproxy?.cleanup();
    await backends?.close();
  });

  const deps: CanaryDeps = {
    router: routerFor,
    units: {
      ensure: async (c) => ({ ...c.spec, namespace: "shop", stable: [backends.stable], canary: [backends.canary] }),
      removeCanary: async () => void removals.push({ side: "canary", tally: await sendRequests(haproxy.entry, 40) }),
      removeStable: async () => void removals.push({ side: "stable", tally: await sendRequests(haproxy.entry, 40) }),
    },
    secretValue: () => async () => "",
    recordEvidence: async (_ns, name, spec) => (evidence.push({ name, spec }), name),
    now: () => Date.now(),
  };

  function canary(spec: Partial<CanarySpec>): Canary {
    seq++;
    return {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Canary",
      metadata: { name: `web-${seq}`, namespace: "shop", uid: `0000000${seq}-uid`, generation: 1 },
      spec: {
        release: "shop-1-5-0",
        environment: "prod",
        component: "web",
        router: { plugin: "haproxy", haproxy: { runtimeApi: haproxy.runtimeApi, backend: haproxy.backend } },
        steps: [{ setWeight: 10 }],
        scaleDownDelay: "0s",
        ...spec,
      },
    };
  }

  const errorRate = (query: string, address = PROMETHEUS_URL) => ({
    name: "error-rate",
    successCondition: "result < 0.01",
    consecutiveErrorLimit: 0,
    provider: { prometheus: { address, query } },
  });

  it("walks the weights, reading each back, pauses for promote, then completes with all traffic on the canary", async () => {
    const c = canary({ steps: [{ setWeight: 10 }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 }] });
    const first = await walk(c, deps);
    assert.equal(first.status.phase, "Paused", first.status.message);
    assert.equal(first.status.currentStepIndex, 2);
    assert.equal(first.status.currentWeight, 50);
    const split = await sendRequests(haproxy.entry, 400);
    assert.ok(Math.abs(split.canary / 4 - 50) <= 5, JSON.stringify(split));
    assert.equal(evidence.filter((e) => e.spec.subject.name === c.metadata.name).length, 2);

    // A restarted walker resumes at the step status names: it neither waits less nor moves weights back.
    const again = await walk({ ...c, status: first.status }, deps);
    assert.equal(again.status.phase, "Paused", "a pause waits for promote");
    assert.equal(again.status.currentStepIndex, 2);
    assert.equal(
      (await routerFor(c).observe({ ...c.spec, namespace: "shop", stable: [], canary: [] })).canaryWeight,
      50,
    );
    assert.equal(evidence.filter((e) => e.spec.subject.name === c.metadata.name).length, 2, "no step was redone");

    const promoted = await walk({ ...c, spec: { ...c.spec, promotedStep: 2 }, status: first.status }, deps);
    assert.equal(promoted.status.phase, "Succeeded", promoted.status.message);
    assert.equal(promoted.status.currentWeight, 100);
    assert.deepEqual(removals.pop(), { side: "stable", tally: { stable: 0, canary: 40, other: 0 } });
    assert.equal(evidence.at(-1)?.spec.decision.outcome, "Succeeded");
  });

  it("a header route sends only the matching requests to the canary", async () => {
    const route = { name: "beta", match: [{ headerName: "X-Canary", headerValue: { exact: "always" } }] };
    const c = canary({ steps: [{ setWeight: 0 }, { setHeaderRoute: route }, { pause: {} }] });
    const { status } = await walk(c, deps);
    assert.equal(status.phase, "Paused", status.message);
    assert.deepEqual(status.headerRoutes, ["beta"]);
    assert.deepEqual(await sendRequests(haproxy.entry, 30, { "x-canary": "always" }), {
      stable: 0,
      canary: 30,
      other: 0,
    });
    assert.deepEqual(await sendRequests(haproxy.entry, 30), { stable: 30, canary: 0, other: 0 });

    const aborted = await walk({ ...c, spec: { ...c.spec, abort: true }, status }, deps);
    assert.equal(aborted.status.phase, "Aborted");
    assert.match(aborted.status.message ?? "", /stella canary abort/);
    assert.deepEqual(aborted.status.headerRoutes, []);
    assert.deepEqual(removals.pop(), { side: "canary", tally: { stable: 40, canary: 0, other: 0 } });
  });

  it("a failed analysis aborts: every request is back on stable before the canary units go", async () => {
    const c = canary({
      steps: [{ setWeight: 50 }, { analysis: { metrics: ["error-rate"] } }, { setWeight: 100 }],
      analysis: { metrics: [errorRate("vector(0.2)")] },
    });
    const { status } = await walk(c, deps);
    assert.equal(status.phase, "Aborted", status.message);
    assert.equal(status.conditions?.find((x) => x.type === "Complete")?.reason, "AnalysisFailed");
    assert.equal(status.currentWeight, 0);
    const measured = status.analysisRuns?.[0].metrics?.[0].measurements?.[0];
    assert.deepEqual([measured?.phase, measured?.value], ["Failed", "0.2"]);
    assert.deepEqual(removals.pop(), { side: "canary", tally: { stable: 40, canary: 0, other: 0 } });
    const verdict = evidence.find(
      (e) => e.spec.subject.name === c.metadata.name && e.spec.decision.outcome === "Failed",
    );
    assert.ok(verdict, "the analysis verdict is evidence");
    assert.equal((await walk({ ...c, status }, deps)).status.phase, "Aborted", "an aborted canary stays aborted");
  });

  it("a passing analysis moves on to the next step", async () => {
    const c = canary({
      steps: [{ setWeight: 10 }, { analysis: { metrics: ["error-rate"] } }, { setWeight: 20 }, { pause: {} }],
      analysis: { metrics: [errorRate("vector(0.001)")] },
    });
    const { status } = await walk(c, deps);
    assert.equal(status.phase, "Paused", status.message);
    assert.equal(status.currentWeight, 20);
    assert.equal(status.analysisRuns?.[0].phase, "Successful");
  });

  it("a metric provider that cannot be reached is an analysis Error, never a pass", async () => {
    const c = canary({
      steps: [{ setWeight: 10 }, { analysis: { metrics: ["error-rate"] } }, { setWeight: 100 }],
      analysis: { metrics: [errorRate("vector(0)", "http://127.0.0.1:1")] },
    });
    const { status } = await walk(c, deps);
    assert.equal(status.phase, "Paused", status.message);
    assert.equal(status.analysisRuns?.[0].phase, "Error");
    assert.equal(status.currentWeight, 10, "the weight did not move on");
  });

  it("a cookie route sends only requests carrying the cookie to the canary", async () => {
    const route = { name: "beta-users", match: [{ cookieName: "canary_user", cookieValue: { exact: "beta" } }] };
    const c = canary({ steps: [{ setWeight: 0 }, { setCookieRoute: route }, { pause: {} }] });
    const { status } = await walk(c, deps);
    assert.equal(status.phase, "Paused", status.message);
    assert.deepEqual(status.headerRoutes, ["beta-users"]);
    assert.deepEqual(await sendRequests(haproxy.entry, 30, { cookie: "canary_user=beta" }), {
      stable: 0,
      canary: 30,
      other: 0,
    });
    assert.deepEqual(await sendRequests(haproxy.entry, 30, { cookie: "canary_user=alpha" }), {
      stable: 30,
      canary: 0,
      other: 0,
    });
    const mine = evidence.filter((e) => e.spec.subject.name === c.metadata.name);
    assert.ok(
      mine.some((e) => e.spec.decision.reason === "SetCookieRoute"),
      "the route is evidence",
    );
    const aborted = await walk({ ...c, spec: { ...c.spec, abort: true }, status }, deps);
    assert.deepEqual(aborted.status.headerRoutes, []);
    assert.deepEqual(await sendRequests(haproxy.entry, 20, { cookie: "canary_user=beta" }), {
      stable: 20,
      canary: 0,
      other: 0,
    });
  });

  it("a failing background analysis aborts between steps, traffic back on stable first", async () => {
    const c = canary({
      steps: [{ setWeight: 40 }, { pause: {} }, { setWeight: 100 }],
      analysis: { metrics: [errorRate("vector(0.2)")], background: { metrics: ["error-rate"], startingStep: 1 } },
    });
    const first = await walk(c, deps);
    assert.equal(first.status.phase, "Paused", "the background analysis starts at step 1");
    assert.equal(first.status.currentWeight, 40);
    assert.equal(first.status.analysisRuns, undefined);
    const second = await walk({ ...c, status: first.status }, deps);
    assert.equal(second.status.phase, "Aborted", second.status.message);
    assert.equal(second.status.conditions?.find((x) => x.type === "Complete")?.reason, "BackgroundAnalysisFailed");
    const run = second.status.analysisRuns?.find((r) => r.step === undefined);
    assert.deepEqual([run?.phase, run?.metrics?.[0].measurements?.[0].value], ["Failed", "0.2"]);
    assert.deepEqual(removals.pop(), { side: "canary", tally: { stable: 40, canary: 0, other: 0 } });
  });

  it("a background analysis without data is Inconclusive: the canary pauses, never passes", async () => {
    const c = canary({
      steps: [{ setWeight: 10 }, { setWeight: 20 }],
      analysis: { metrics: [errorRate("absent(vector(1))")], background: { metrics: ["error-rate"] } },
    });
    const { status } = await walk(c, deps);
    assert.equal(status.phase, "Paused", status.message);
    assert.match(status.conditions?.find((x) => x.type === "Healthy")?.reason ?? "", /^BackgroundAnalysis/);
    assert.notEqual(status.analysisRuns?.[0].phase, "Successful");
    assert.notEqual(status.currentWeight, 20, "no step went on");
  });

  it("a router that cannot be reached pauses the canary with the reason and reports no weight", async () => {
    await haproxy.stop();
    const c = canary({ steps: [{ setWeight: 30 }] });
    const { status, requeueAfter } = await walk(c, deps);
    assert.equal(status.phase, "Paused");
    assert.equal(status.conditions?.find((x) => x.type === "Healthy")?.reason, "RouterUnreachable");
    assert.match(status.message ?? "", /^router haproxy: HAProxy runtime API 127\.0\.0\.1:\d+: /);
    assert.equal(status.currentWeight, undefined);
    assert.ok((requeueAfter ?? 0) > 0);
  });
});
