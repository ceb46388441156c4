// The Canary deployment strategy end to end on the local estate: real Docker units, a real haproxy
// in front (its runtime API), analysis by the web metric provider over haproxy's own counters. An
// Environment whose strategy is Canary takes a Promotion: the promotion's Deployment creates a
// Canary named after it, follows it to success, and the environment's status.current becomes the
// new release through the deployment history. A Deployment of an erroring release with the Canary
// strategy is aborted by analysis: the Deployment ends Failed with the canary's reason and the
// environment stays on the stable release, every request answered by it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import type { CanaryStrategy } from "../../crds/deployment-strategy.ts";
import { eventKind, type Event } from "../../crds/event.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import {
  containers,
  deployment,
  dockerTarget,
  environment,
  release,
  startDeployEnv,
  waitFor,
  waitPhase,
  type DeployEnv,
} from "../deploy/deploy-env.ts";
import { promotion } from "../promotion/promotion-env.ts";
import { CANARY_PORTS, canaryPlan, frontStable, routerWeight, sendVersions, webComponent } from "./canary-env.ts";

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy"));

describe("the Canary deployment strategy on the local estate through haproxy", { skip }, () => {
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
  const eventReasons = async (name: string) =>
    (await de.admin.resource<Event>(eventKind).list({ fieldSelector: `involvedObject.name=${name}` })).items.map(
      (e) => e.reason,
    );

  async function front(env: string) {
    const f = await frontStable(de, env);
    fronts.push(f);
    return f;
  }

  it("a Promotion into an environment whose strategy is Canary lands the release through a Canary", async () => {
    const { haproxy, metrics } = await front("strategy-a");
    const steps = [{ setWeight: 20 }, { pause: { duration: "1s" } }, { analysis: { metrics: ["error-rate"] } }];
    const canary = canaryPlan(haproxy, metrics.url, [...steps, { setWeight: 100 }]);
    await de.environments.patch(
      "strategy-a",
      { spec: { deployment: { strategy: { type: "Canary", canary } } } },
      { type: "merge" },
    );
    await de.admin
      .resource<Promotion>(promotionKind)
      .create(promotion(ns, "web-1-5-0", { release: "shop-1-5-0", environment: "strategy-a" }));

    const d = await waitPhase(de, "web-1-5-0", ["Succeeded", "Failed", "Aborted", "RolledBack"], 180_000);
    assert.equal(d.status?.phase, "Succeeded", d.status?.message);
    assert.equal(d.status?.strategy?.type, "Canary", "the environment's strategy was frozen into the deployment");
    assert.equal(d.status?.canary, "web-1-5-0");
    assert.equal(d.status?.conditions?.find((c) => c.type === "Complete")?.reason, "CanarySucceeded");

    const c = await canaries().get("web-1-5-0");
    assert.equal(c.status?.phase, "Succeeded", c.status?.message);
    assert.equal(c.spec.stableRelease, "shop-1-4-0");
    assert.equal(c.spec.component, "web");
    assert.deepEqual(
      c.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]),
      [["Deployment", "web-1-5-0", d.metadata.uid]],
    );
    const analysed = c.status?.analysisRuns?.[0];
    assert.equal(analysed?.phase, "Successful", JSON.stringify(analysed));

    const env = await waitFor(
      "strategy-a to show shop-1-5-0",
      () => de.environments.get("strategy-a"),
      (e) => e.status?.current?.release === "shop-1-5-0",
    );
    assert.equal(env.status?.current?.deployment, "web-1-5-0");
    assert.equal(env.status?.current?.promotion, "web-1-5-0");
    const p = await waitFor(
      "promotion web-1-5-0 to end",
      () => de.admin.resource<Promotion>(promotionKind).get("web-1-5-0"),
      (x) => ["Succeeded", "Failed", "Errored"].includes(x.status?.phase ?? ""),
    );
    assert.equal(p.status?.phase, "Succeeded", p.status?.message);
    assert.equal(await routerWeight(haproxy), 100);
    assert.deepEqual(await sendVersions(haproxy.entry, 30), { "1.5.0": 30 });
    const events = await waitFor(
      "deployment web-1-5-0's events",
      () => eventReasons("web-1-5-0"),
      (r) => ["CanaryCreated", "DeploymentSucceeded", "CanarySucceeded"].every((x) => r.includes(x)),
      30_000,
    );
    assert.ok(events.includes("DeploymentStarted"), JSON.stringify(events));
  });

  it("an erroring release with a Canary strategy is aborted by analysis: the Deployment fails, the environment stays on stable", async () => {
    const { haproxy, metrics } = await front("strategy-b");
    const steps = [
      { setWeight: 30 },
      { pause: { duration: "3s" } },
      { analysis: { metrics: ["error-rate"] } },
      { setWeight: 100 },
    ];
    const strategy = { type: "Canary" as const, canary: canaryPlan(haproxy, metrics.url, steps) };
    await de.deployments.create(
      deployment(ns, "web-errors", { release: "shop-1-5-0-errors", environment: "strategy-b", strategy }),
    );
    const d = await waitPhase(de, "web-errors", ["Succeeded", "Failed", "Aborted", "RolledBack"], 180_000);
    assert.equal(d.status?.phase, "Failed", d.status?.message);
    assert.equal(d.status?.conditions?.find((c) => c.type === "Complete")?.reason, "AnalysisFailed", d.status?.message);
    assert.match(d.status?.message ?? "", /all traffic is back on shop-1-4-0/);
    assert.equal(d.status?.rollback, undefined, "no driver rollback: the canary already put traffic back");

    const c = await canaries().get("web-errors");
    assert.equal(c.status?.phase, "Aborted");
    assert.equal(c.status?.currentWeight, 0);
    assert.equal(await routerWeight(haproxy), 0);
    assert.deepEqual(await sendVersions(haproxy.entry, 30), { "1.4.0": 30 });
    assert.deepEqual(await containers(ns, { environment: "strategy-b", release: "shop-1-5-0-errors" }), []);
    const env = await de.environments.get("strategy-b");
    assert.equal(env.status?.current?.release, "shop-1-4-0");
    assert.ok(!(env.status?.history ?? []).some((r) => r.deployment === "web-errors"), "nothing landed");
  });

  it("a first Canary deployment into an environment with no release is refused, saying what to do", async () => {
    await de.environments.create(environment(ns, "strategy-c"));
    await de.targets.create(dockerTarget(ns, "strategy-c-docker", "strategy-c"));
    const canary: CanaryStrategy = {
      component: "web",
      router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:1", backend: "unused" } },
      steps: [{ setWeight: 50 }],
    };
    const strategy = { type: "Canary" as const, canary };
    await de.deployments.create(
      deployment(ns, "first", { release: "shop-1-4-0", environment: "strategy-c", strategy }),
    );
    const d = await waitPhase(de, "first", ["Succeeded", "Failed"], 60_000);
    assert.equal(d.status?.phase, "Failed");
    assert.equal(d.status?.conditions?.find((c) => c.type === "Complete")?.reason, "NoStableRelease");
    assert.match(d.status?.message ?? "", /deploy the first release with another strategy/);
    await assert.rejects(canaries().get("first"), /not found/);
    assert.deepEqual(await containers(ns, { environment: "strategy-c" }), []);
  });
});
