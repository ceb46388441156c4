// The canary controller end to end through nginx (router plugin nginx): real Docker units started
// by the controller beside the stable release, an nginx of the test's own that the router rewrites
// and reloads, an analysis step through the real Prometheus, and the real `stella` CLI to promote.
// canary.yaml's flow with nginx as the router reaches Succeeded; at each stop the weight nginx
// serves (read back from its live state) is the step's and the traffic split follows it. An
// erroring release is aborted by its analysis of the router's own counts (nginx logs each request's
// side and status, the estate's mtail counts them, Prometheus scrapes mtail), with no person.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { nginxRouterPlugin, upstreamPrefix } from "../../controllers/routers/nginx/index.ts";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { stella } from "../cli/run-stella.ts";
import { release, startDeployEnv, waitFor, type DeployEnv } from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { PROMETHEUS_URL, prometheusSkipReason } from "../gates/prometheus-env.ts";
import { startNginx, type NginxServer } from "../routers/nginx-server.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { CANARY_PORTS, deployStable, sendVersions, startLoad, webComponent } from "./canary-env.ts";
import { mtailSkipReason, NGINX_ACCESS_DIR, nginxErrorRate } from "./router-sides.ts";

const skip =
  (await estateSkipReason()) ??
  (await routerSkipReason("nginx")) ??
  (await prometheusSkipReason()) ??
  (await mtailSkipReason());

describe("canary controller on the local estate through nginx", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  let nginx: NginxServer;
  before(async () => {
    de = await startDeployEnv({ ports: CANARY_PORTS });
    ns = de.namespace;
    nginx = await startNginx({ accessLog: join(NGINX_ACCESS_DIR, `test-${ns}.log`) });
    await de.releases.create(release(ns, "shop-1-4-0", [webComponent("1.4.0")]));
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
    await de.releases.create(release(ns, "shop-1-5-0-errors", [webComponent("1.5.0", true)]));
  });
  after(async () => {
    await nginx?.cleanup();
    await de?.stop();
    if (nginx?.settings.accessLog) await rm(nginx.settings.accessLog, { force: true });
  });

  const canaries = () => de.admin.resource<Canary>(canaryKind);
  const cli = (...args: string[]) => stella([...args, "-n", ns], { kubeconfig: de.env.server.kubeconfigPath });
  const waitCanary = (name: string, what: string, ok: (c: Canary) => boolean, ms = 120_000) =>
    waitFor(`canary ${name} ${what}`, () => canaries().get(name), ok, ms);
  const target = () => ({ namespace: ns, environment: "canary-n", component: "web", stable: [], canary: [] });
  const served = async () => (await nginxRouterPlugin.connect(nginx.settings).observe(target())).canaryWeight;

  it("canary.yaml's flow through nginx: weights read back from nginx, analysis passes, promote, success", async () => {
    const stablePort = await deployStable(de, "canary-n", "shop-1-4-0", "1.4.0");
    // What an operator (or hack/estate/nginx.sh) does first: nginx serves the router's file, all on stable.
    const stable = [`127.0.0.1:${stablePort}`];
    await nginxRouterPlugin.connect(nginx.settings).setWeight({ ...target(), stable, canary: stable }, 0);
    assert.deepEqual(await sendVersions(nginx.entry, 20), { "1.4.0": 20 });
    const steps = [
      { setWeight: 10 },
      { pause: { duration: "1s" } },
      { analysis: { metrics: ["prometheus-up"] } },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 100 },
    ];
    await canaries().create({
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Canary",
      metadata: { name: "web-n", namespace: ns },
      spec: {
        release: "shop-1-5-0",
        environment: "canary-n",
        component: "web",
        router: { plugin: "nginx", nginx: nginx.settings },
        steps,
        scaleDownDelay: "2s",
        analysis: {
          metrics: [
            {
              name: "prometheus-up",
              interval: "1s",
              count: 2,
              successCondition: "result == 1",
              provider: { prometheus: { address: PROMETHEUS_URL, query: 'sum(up{job="prometheus"})' } },
            },
          ],
        },
      },
    });

    const paused = await waitCanary("web-n", "to wait for promote at step 4", (c) => c.status?.currentStepIndex === 4);
    assert.equal(paused.status?.phase, "Paused", paused.status?.message);
    assert.equal(paused.status?.currentWeight, 50);
    assert.equal(paused.status?.analysisRuns?.[0]?.phase, "Successful");
    assert.equal(await served(), 50);
    const split = await sendVersions(nginx.entry, 400);
    assert.equal((split["1.4.0"] ?? 0) + (split["1.5.0"] ?? 0), 400, JSON.stringify(split));
    assert.ok(Math.abs((split["1.5.0"] ?? 0) / 4 - 50) <= 5, `50% split within 5 points: ${JSON.stringify(split)}`);

    const promoted = await cli("canary", "promote", "web-n");
    assert.equal(promoted.code, 0, promoted.stderr);
    const done = await waitCanary("web-n", "to succeed", (c) => c.status?.phase === "Succeeded");
    assert.equal(done.status?.currentWeight, 100);
    assert.equal(await served(), 100);
    assert.deepEqual(await sendVersions(nginx.entry, 40), { "1.5.0": 40 });
  });

  it("an erroring release is aborted by analysis of nginx's own counts: traffic back on stable, no person", async () => {
    const env = "canary-e";
    const stablePort = await deployStable(de, env, "shop-1-4-0", "1.4.0");
    const stable = [`127.0.0.1:${stablePort}`];
    const here = { ...target(), environment: env };
    await nginxRouterPlugin.connect(nginx.settings).setWeight({ ...here, stable, canary: stable }, 0);
    const load = startLoad(nginx.entry);
    try {
      const query = nginxErrorRate(upstreamPrefix(here), "10s");
      await canaries().create({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Canary",
        metadata: { name: "web-e", namespace: ns },
        spec: {
          release: "shop-1-5-0-errors",
          environment: env,
          component: "web",
          router: { plugin: "nginx", nginx: nginx.settings },
          steps: [{ setWeight: 30 }, { pause: { duration: "3s" } }, { analysis: { metrics: ["error-rate"] } }],
          analysis: {
            metrics: [
              {
                name: "error-rate",
                initialDelay: "3s",
                interval: "2s",
                count: 4,
                inconclusiveLimit: 3,
                successCondition: "result < 0.01",
                provider: { prometheus: { address: PROMETHEUS_URL, query } },
              },
            ],
          },
        },
      });
      const aborted = await waitCanary("web-e", "to end", (c) =>
        ["Aborted", "Succeeded", "Failed"].includes(c.status?.phase ?? ""),
      );
      assert.equal(aborted.status?.phase, "Aborted", aborted.status?.message);
      assert.equal(aborted.status?.conditions?.find((c) => c.type === "Complete")?.reason, "AnalysisFailed");
      const measured = aborted.status?.analysisRuns?.[0].metrics?.[0].measurements ?? [];
      assert.ok(
        measured.some((m) => m.phase === "Failed" && Number(m.value) > 0.1),
        `the canary's error rate as nginx counted it: ${JSON.stringify(measured)}`,
      );
      assert.equal((await nginxRouterPlugin.connect(nginx.settings).observe(here)).canaryWeight, 0);
    } finally {
      await load.stop();
    }
    assert.deepEqual(await sendVersions(nginx.entry, 30), { "1.4.0": 30 });
  });
});
