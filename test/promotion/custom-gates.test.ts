// The custom gates through the promotion controller on the local estate: a webhook gate (a real
// HTTP endpoint on 127.0.0.1 that passes, refuses, or fails once and then passes) and a metric gate
// against the estate's real Prometheus. Each verdict lands in status.gates with its inputs and in
// a GateVerdict packet; the webhook's signing secret appears in neither.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { EnvironmentGate } from "../../crds/environment.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { dockerTarget, environment, release, waitFor, web, worker } from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { PROMETHEUS_URL, prometheusSkipReason, waitForSample } from "../gates/prometheus-env.ts";
import {
  createAs,
  evidenceOf,
  promotion,
  startPromotionEnv,
  waitPromotion,
  webhookReceiver,
  type Answer,
  type PromotionEnv,
  type Received,
} from "./promotion-env.ts";

const skip = (await estateSkipReason()) ?? (await prometheusSkipReason());
const ENDED = ["Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"];
const SECRET = "gate-signing-secret-7f3a";

/** The endpoint a change-management system would run: /ok passes, /deny refuses, /flaky fails once. */
const gateEndpoint = (r: Received, received: readonly Received[]): Answer => {
  if (r.path === "/ok") return { status: 200, body: "smoke tests green" };
  if (r.path === "/deny") return { status: 403, body: "change ticket CHG-1 is not approved" };
  if (r.path === "/flaky")
    return received.filter((c) => c.path === "/flaky").length === 1
      ? { status: 503, headers: { "retry-after": "1" }, body: "warming up" }
      : { status: 204 };
  return { status: 404 };
};

describe("webhook and metric gates in a promotion", { skip }, () => {
  let pe: PromotionEnv;
  let ns: string;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  const webhook = (name: string, path: string): EnvironmentGate => ({
    name,
    webhook: { url: hooks.at(path), signingSecretRef: { name: "gate-key", key: "secret" } },
  });
  const metric = (name: string, successCondition: string): EnvironmentGate => ({
    name,
    metric: { provider: { prometheus: { address: PROMETHEUS_URL, query: 'up{job="prometheus"}' } }, successCondition },
  });
  /** Environment `name` gated by `gates`, with a docker target, and a promotion of v1 into it run to its end. */
  const promoteThrough = async (name: string, gates: EnvironmentGate[]) => {
    await pe.environments.create(
      environment(ns, name, { gates, deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "1m" } }),
    );
    await pe.targets.create(dockerTarget(ns, `${name}-docker`, name));
    await createAs(pe, promotion(ns, `v1-to-${name}`, { release: "v1", environment: name }));
    return waitPromotion(pe, `v1-to-${name}`, ENDED);
  };

  before(async () => {
    await waitForSample('up{job="prometheus"}');
    pe = await startPromotionEnv();
    ns = pe.namespace;
    hooks = await webhookReceiver(gateEndpoint);
    await pe.admin.resource<Secret>(secretKind).create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Secret",
      metadata: { name: "gate-key", namespace: ns },
      stringData: { secret: SECRET },
    } as Secret);
    await pe.releases.create(release(ns, "v1", [web("1.4.0"), worker()]));
  });
  after(async () => {
    await pe?.stop();
    await hooks?.close();
  });

  it("passes a signed webhook and a Prometheus query, records both, and deploys", async () => {
    const p = await promoteThrough("checked", [webhook("smoke", "/ok"), metric("prom-up", "result == 1")]);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.deepEqual(
      p.status?.gates?.map((g) => [g.name, g.type, g.verdict]),
      [
        ["smoke", "webhook", "Passed"],
        ["prom-up", "metric", "Passed"],
        ["approval", "approval", "Skipped"],
      ],
    );
    const smoke = p.status?.gates?.find((g) => g.name === "smoke");
    assert.equal(smoke?.message, `webhook gate "smoke": POST ${hooks.at("/ok")} answered 200: smoke tests green`);
    assert.equal(smoke?.inputs?.status, 200);
    assert.match(
      p.status?.gates?.find((g) => g.name === "prom-up")?.message ?? "",
      /^metric gate "prom-up": 1 of 1 measurements successful; last: result 1 satisfies `result == 1`$/,
    );

    // What the endpoint got: the promotion, the release's digests and the requester, signed.
    const [call] = hooks.received.filter((c) => c.path === "/ok");
    const body = JSON.parse(call.body) as {
      gate: string;
      release: string;
      environment: string;
      requestedBy: { username: string };
      digests: { component: string; image: string }[];
    };
    assert.deepEqual(
      [body.gate, body.release, body.environment, body.requestedBy.username],
      ["smoke", "v1", "checked", "alice"],
    );
    const resolved = (await pe.releases.get("v1")).status?.components ?? [];
    assert.deepEqual(body.digests.map((d) => d.image.split("@")[1]).sort(), resolved.map((c) => c.digest).sort());
    assert.equal(
      call.headers["x-stella-signature"],
      `sha256=${createHmac("sha256", SECRET).update(call.body).digest("hex")}`,
      "the HMAC-SHA256 of the body under the environment's secret",
    );
    assert.equal(
      call.headers["x-stella-timestamp"],
      (JSON.parse(call.body) as { time: string }).time,
      "the signed body carries the timestamp",
    );

    const packets = await evidenceOf(pe, "v1-to-checked");
    const verdicts = packets
      .filter((e) => e.spec.type === "GateVerdict")
      .map((e) => [(e.spec.details as { gate: string }).gate, e.spec.decision.outcome]);
    assert.deepEqual(
      verdicts.filter(([g]) => g !== "approval"),
      [
        ["smoke", "Passed"],
        ["prom-up", "Passed"],
      ],
    );
    assert.equal(
      JSON.stringify([p, packets]).includes(SECRET),
      false,
      "the signing secret is in neither status nor evidence",
    );
  });

  it("fails the promotion when the webhook refuses, saying what it answered, and deploys nothing", async () => {
    const p = await promoteThrough("denied", [webhook("change-ticket", "/deny")]);
    assert.equal(p.status?.phase, "Failed", p.status?.message);
    assert.equal(
      p.status?.message,
      `gate change-ticket: webhook gate "change-ticket": POST ${hooks.at("/deny")} answered 403: change ticket CHG-1 is not approved`,
    );
    assert.equal(p.status?.conditions?.find((c) => c.type === "GatesPassed")?.reason, "GateFailed");
    assert.equal(p.status?.deployment, undefined);
    assert.equal((await pe.deployments.list({ labelSelector: "stella.io/environment=denied" })).items.length, 0);
    const packets = await waitFor(
      "the decision's evidence",
      () => evidenceOf(pe, "v1-to-denied"),
      (e) => e.some((x) => x.spec.type === "PromotionDecision"),
    );
    assert.equal(packets.find((e) => e.spec.type === "PromotionDecision")?.spec.decision.outcome, "Failed");
  });

  it("fails the promotion when the metric does not meet its condition", async () => {
    const p = await promoteThrough("unmet", [metric("prom-down", "result == 0")]);
    assert.equal(p.status?.phase, "Failed", p.status?.message);
    assert.equal(
      p.status?.message,
      'gate prom-down: metric gate "prom-down": 1 of 1 measurements failed, more than the 0 tolerated; last failure: result 1 does not satisfy successCondition `result == 0`',
    );
    assert.equal(p.status?.deployment, undefined);
  });

  it("asks a webhook that answered 503 again after its Retry-After, then passes", async () => {
    const p = await promoteThrough("flaky", [webhook("warm", "/flaky")]);
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    const calls = hooks.received.filter((c) => c.path === "/flaky");
    assert.equal(calls.length, 2, "asked once more, not more");
    assert.equal(
      p.status?.gates?.find((g) => g.name === "warm")?.message,
      `webhook gate "warm": POST ${hooks.at("/flaky")} answered 204`,
    );
  });
});
