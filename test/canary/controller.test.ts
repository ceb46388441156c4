// The canary controller end to end on the local estate: real Docker units started by the
// controller through the docker driver beside the stable release, a real haproxy in front (its
// runtime API), analysis by the web metric provider over haproxy's own counters, and the real
// `stella` CLI. canary.yaml's flow (setWeight, pause, analysis, setWeight, pause for promote,
// setWeight 100) reaches Succeeded and the old units go after scaleDownDelay; an erroring release
// is aborted by analysis with every request back on stable before its units go; `stella canary
// abort` does the same by hand, and `stella canary retry` runs the canary again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { eventKind, type Event } from "../../crds/event.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import { stella } from "../cli/run-stella.ts";
import { containers, release, startDeployEnv, waitFor, type DeployEnv } from "../deploy/deploy-env.ts";
import { CANARY_PORTS, canaryObject, frontStable, routerWeight, sendVersions, webComponent } from "./canary-env.ts";

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));

describe("canary controller on the local estate through haproxy", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  const fronts: { stop(): Promise<void> }[] = [];
  before(async () => {
    de = await startDeployEnv({ ports: CANARY_PORTS });
    ns = de.namespace;
    await de.releases.create(release(ns, "shop-1-4-0", [webComponent("1.4.0")]));
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
    await de.releases.create(release(ns, "shop-1-5-0-errors", [webComponent("1.5.0", true)]));
  });
  after(async () => {
    for (const f of fronts) await f.stop();
    await de?.stop();
  });

  const canaries = () => de.admin.resource<Canary>(canaryKind);
  const cli = (...args: string[]) => stella([...args, "-n", ns], { kubeconfig: de.env.server.kubeconfigPath });
  const waitCanary = (name: string, what: string, ok: (c: Canary) => boolean, ms = 120_000) =>
    waitFor(`canary ${name} ${what}`, () => canaries().get(name), ok, ms);
  const evidenceOf = async (name: string) =>
    (await de.admin.resource<EvidencePacket>(evidencePacketKind).list({ labelSelector: `stella.io/canary=${name}` }))
      .items;

  async function front(env: string) {
    const f = await frontStable(de, env);
    fronts.push(f);
    return f;
  }

  it("canary.yaml's flow: weights read back, analysis passes, promote from the CLI, success, old units scaled down", async () => {
    const { haproxy, metrics } = await front("canary-a");
    const steps = [
      { setWeight: 10 },
      { pause: { duration: "2s" } },
      { analysis: { metrics: ["error-rate"] } },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 100 },
    ];
    const spec = { release: "shop-1-5-0", environment: "canary-a", steps };
    await canaries().create(canaryObject(ns, "web-a", spec, haproxy, metrics.url));

    const paused = await waitCanary("web-a", "to wait for promote at step 4", (c) => c.status?.currentStepIndex === 4);
    assert.equal(paused.status?.phase, "Paused", paused.status?.message);
    assert.equal(paused.status?.currentWeight, 50);
    assert.equal(paused.status?.stableRelease, "shop-1-4-0");
    const run = paused.status?.analysisRuns?.[0];
    assert.equal(run?.phase, "Successful");
    assert.ok((run?.metrics?.[0].measurements ?? []).length >= 2, "every measurement is kept in status");
    assert.equal(await routerWeight(haproxy), 50);
    const split = await sendVersions(haproxy.entry, 400);
    assert.ok(Math.abs((split["1.5.0"] ?? 0) / 4 - 50) <= 5, `50% split within 5 points: ${JSON.stringify(split)}`);
    assert.equal((split["1.4.0"] ?? 0) + (split["1.5.0"] ?? 0), 400, JSON.stringify(split));

    const [stableUnit] = await containers(ns, { environment: "canary-a", release: "shop-1-4-0" });
    const [canaryUnit] = await containers(ns, { environment: "canary-a", release: "shop-1-5-0" });
    assert.equal(canaryUnit.state, "running");
    assert.equal(canaryUnit.labels["stella.io/deployment"], "web-a", "the canary's units carry its name");
    assert.notEqual(canaryUnit.labels["stella.io/slot"], stableUnit.labels["stella.io/slot"], "in the free slot");

    const promoted = await cli("canary", "promote", "web-a");
    assert.equal(promoted.code, 0, promoted.stderr);
    const done = await waitCanary("web-a", "to succeed", (c) => c.status?.phase === "Succeeded");
    assert.equal(done.status?.currentWeight, 100);
    assert.deepEqual(await sendVersions(haproxy.entry, 40), { "1.5.0": 40 });
    const scaled = await waitCanary("web-a", "to scale down", (c) => c.status?.scaledDownAt !== undefined);
    assert.ok(Date.parse(scaled.status!.scaledDownAt!) >= Date.parse(scaled.status!.scaleDownAt!));
    assert.deepEqual(await containers(ns, { environment: "canary-a", release: "shop-1-4-0" }), []);
    assert.deepEqual(await sendVersions(haproxy.entry, 20), { "1.5.0": 20 });

    const outcomes = (await evidenceOf("web-a")).map((p) => p.spec.decision.outcome).sort();
    assert.deepEqual(outcomes, ["Promoted", "Succeeded", "Successful", "WeightSet", "WeightSet", "WeightSet"]);
    for (const p of await evidenceOf("web-a")) assert.match(p.spec.seal?.digest ?? "", /^sha256:/, p.metadata.name);
  });

  it("an erroring release is aborted by analysis: all traffic back on stable, then its units removed", async () => {
    const { haproxy, metrics } = await front("canary-b");
    const steps = [
      { setWeight: 30 },
      { pause: { duration: "3s" } },
      { analysis: { metrics: ["error-rate"] } },
      { setWeight: 100 },
    ];
    const spec = { release: "shop-1-5-0-errors", environment: "canary-b", steps };
    await canaries().create(canaryObject(ns, "web-b", spec, haproxy, metrics.url));
    const aborted = await waitCanary("web-b", "to end", (c) =>
      ["Aborted", "Succeeded"].includes(c.status?.phase ?? ""),
    );
    assert.equal(aborted.status?.phase, "Aborted", aborted.status?.message);
    assert.equal(aborted.status?.conditions?.find((c) => c.type === "Complete")?.reason, "AnalysisFailed");
    assert.equal(aborted.status?.currentWeight, 0);
    const measured = aborted.status?.analysisRuns?.[0].metrics?.[0].measurements ?? [];
    assert.ok(
      measured.some((m) => m.phase === "Failed" && Number(m.value) > 0.01),
      JSON.stringify(measured),
    );
    assert.equal(await routerWeight(haproxy), 0);
    assert.deepEqual(await sendVersions(haproxy.entry, 40), { "1.4.0": 40 });
    assert.deepEqual(await containers(ns, { environment: "canary-b", release: "shop-1-5-0-errors" }), []);
    const outcomes = (await evidenceOf("web-b")).map((p) => p.spec.decision.outcome);
    assert.ok(outcomes.includes("Failed") && outcomes.includes("Aborted"), JSON.stringify(outcomes));
    // What `kubectl describe canary web-b` ends with: the verdict and the abort, as Warnings.
    const events = await waitFor(
      "canary web-b's events",
      () => de.admin.resource<Event>(eventKind).list({ fieldSelector: "involvedObject.name=web-b" }),
      (l) => ["AnalysisFailed", "CanaryAborted"].every((r) => l.items.some((e) => e.reason === r)),
      30_000,
    );
    for (const reason of ["AnalysisFailed", "CanaryAborted"])
      assert.equal(events.items.find((e) => e.reason === reason)?.type, "Warning", reason);
    assert.ok(
      events.items.some((e) => e.reason === "CanaryStarted"),
      JSON.stringify(events.items.map((e) => e.reason)),
    );
  });

  it("stella canary abort: traffic back to stable first, the canary units removed, the phase says why; retry runs it again", async () => {
    const { haproxy, metrics } = await front("canary-c");
    const spec = { release: "shop-1-5-0", environment: "canary-c", steps: [{ setWeight: 30 }, { pause: {} }] };
    await canaries().create(canaryObject(ns, "web-c", spec, haproxy, metrics.url));
    await waitCanary("web-c", "to pause", (c) => c.status?.phase === "Paused" && c.status.currentStepIndex === 1);
    assert.equal(await routerWeight(haproxy), 30);
    const aborted = await cli("canary", "abort", "web-c");
    assert.equal(aborted.code, 0, aborted.stderr);
    const done = await waitCanary("web-c", "to abort", (c) => c.status?.phase === "Aborted");
    assert.match(done.status?.message ?? "", /stella canary abort/);
    assert.equal(await routerWeight(haproxy), 0);
    assert.deepEqual(await sendVersions(haproxy.entry, 40), { "1.4.0": 40 });
    assert.deepEqual(await containers(ns, { environment: "canary-c", release: "shop-1-5-0" }), []);
    const refused = await cli("canary", "promote", "web-c");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /aborted/);

    const retried = await cli("canary", "retry", "web-c");
    assert.equal(retried.code, 0, retried.stderr);
    const again = await waitCanary(
      "web-c",
      "to pause again after the retry",
      (c) => c.status?.observedRetry === 1 && c.status.phase === "Paused" && c.status.currentStepIndex === 1,
    );
    assert.equal(again.status?.currentWeight, 30);
    assert.equal(await routerWeight(haproxy), 30);
    const [unit] = await containers(ns, { environment: "canary-c", release: "shop-1-5-0" });
    assert.equal(unit?.state, "running", "the retry started the canary unit again");
  });
});
