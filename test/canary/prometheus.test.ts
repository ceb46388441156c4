// The canary controller's analysis through the real Prometheus (the estate's, 127.0.0.1:9090):
//   - an erroring release behind the estate's HAProxy (canary.yaml's router: runtime API
//     127.0.0.1:9999, backend shop_web, which the estate's Prometheus scrapes every second through
//     HAProxy's exporter on :8404) is aborted by canary.yaml's error-rate query, with every request
//     through the estate's frontend back on stable. The suite holds the estate HAProxy
//     (test/estate/haproxy-lock.ts) and points its servers back where they were when it ends;
//   - Prometheus becoming unreachable mid-analysis (the provider goes through a TCP relay to the
//     real Prometheus that the test closes) ends the analysis in Error: the canary pauses at its
//     weight and never passes the step.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { routerFor } from "../../controllers/canary/index.ts";
import { readSlots } from "../../controllers/routers/haproxy/slots.ts";
import { parseRuntimeAddress } from "../../controllers/routers/haproxy/runtime-api.ts";
import { canaryKind, type Canary, type CanarySpec } from "../../crds/canary.ts";
import type { Router, RouteTarget } from "../../sdk/plugins/router.ts";
import { containers, release, startDeployEnv, waitFor, type DeployEnv } from "../deploy/deploy-env.ts";
import { estateSkipReason } from "../estate/estate-env.ts";
import { holdEstateHaproxy } from "../estate/haproxy-lock.ts";
import { loadExample } from "../fixtures.ts";
import { PROMETHEUS_URL, prometheusSkipReason } from "../gates/prometheus-env.ts";
import { routerSkipReason } from "../routers/router-env.ts";
import {
  CANARY_PORTS,
  deployStable,
  routerWeight,
  sendVersions,
  startFront,
  startLoad,
  webComponent,
} from "./canary-env.ts";

/** The estate HAProxy's frontend (hack/estate/haproxy.sh). */
const FRONTEND = process.env.STELLA_TEST_HAPROXY ?? "127.0.0.1:8480";
const example = loadExample("canary.yaml")[0] as unknown as Canary;
const exampleMetric = example.spec.analysis!.metrics[0];
/** canary.yaml's query over 5 s instead of a minute, so only this test's requests are in its window. */
const ERROR_RATE = exampleMetric.provider.prometheus!.query.replaceAll("[1m]", "[5s]");

const skip = (await estateSkipReason()) ?? (await routerSkipReason("haproxy")) ?? (await prometheusSkipReason());

/** A Canary of web, its old units gone 2 s after it ends. */
function canaryOf(ns: string, name: string, spec: Omit<CanarySpec, "component">): Canary {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name, namespace: ns },
    spec: { component: "web", scaleDownDelay: "2s", ...spec },
  };
}

async function promQuery(query: string): Promise<number[]> {
  const url = `${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return body.data.result.map((r) => Number(r.value[1]));
}

/** A TCP relay on a free loopback port to `upstream` (host:port); close() refuses and cuts everything. */
async function startRelay(upstream: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on("error", () => (client.destroy(), up.destroy()));
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe("canary analysis through the real Prometheus", { skip }, () => {
  let de: DeployEnv;
  let ns: string;
  const cleanups: (() => Promise<void>)[] = [];
  before(async () => {
    de = await startDeployEnv({ ports: CANARY_PORTS });
    ns = de.namespace;
    await de.releases.create(release(ns, "shop-1-4-0", [webComponent("1.4.0")]));
    await de.releases.create(release(ns, "shop-1-5-0", [webComponent("1.5.0")]));
    await de.releases.create(release(ns, "shop-1-5-0-errors", [webComponent("1.5.0", true)]));
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    await de?.stop();
  });

  const canaries = () => de.admin.resource<Canary>(canaryKind);
  const waitCanary = (name: string, what: string, ok: (c: Canary) => boolean, ms = 120_000) =>
    waitFor(`canary ${name} ${what}`, () => canaries().get(name), ok, ms);

  it("canary.yaml's router and error-rate query abort an erroring release: traffic back on stable", async () => {
    const release = await holdEstateHaproxy();
    cleanups.push(release);
    const settings = example.spec.router.haproxy!;
    const router: Router = routerFor(example);
    // Where the estate's servers point now, to point them back when the test ends.
    const slots = await readSlots(parseRuntimeAddress(settings.runtimeApi), settings.backend);
    const at = (name: string) => slots.filter((s) => s.name === name).map((s) => `${s.host}:${s.port}`);
    const first: RouteTarget = {
      namespace: "shop",
      environment: "prod",
      component: "web",
      stable: at("stable"),
      canary: at("canary"),
    };
    cleanups.push(() => router.setWeight(first, 0));

    const stablePort = await deployStable(de, "canary-p", "shop-1-4-0", "1.4.0");
    await router.setWeight({ ...first, stable: [`127.0.0.1:${stablePort}`] }, 0);
    const load = startLoad(FRONTEND);
    cleanups.push(() => load.stop());
    // No canary answers in the query's window yet: whatever it measures is this canary's.
    await waitFor(
      "the canary server's error rate to have no recent samples",
      () => promQuery(ERROR_RATE),
      (values) => values.every((v) => Number.isNaN(v) || v === 0),
      30_000,
    );

    const steps = [{ setWeight: 30 }, { pause: { duration: "2s" } }, { analysis: { metrics: ["error-rate"] } }];
    const spec = {
      release: "shop-1-5-0-errors",
      environment: "canary-p",
      steps,
      router: example.spec.router,
      analysis: {
        metrics: [
          {
            ...exampleMetric,
            interval: "1s",
            count: 3,
            provider: { prometheus: { address: PROMETHEUS_URL, query: ERROR_RATE } },
          },
        ],
      },
    };
    await canaries().create(canaryOf(ns, "web-p", spec));
    const done = await waitCanary("web-p", "to end", (c) => ["Aborted", "Succeeded"].includes(c.status?.phase ?? ""));
    assert.equal(done.status?.phase, "Aborted", done.status?.message);
    assert.equal(done.status?.conditions?.find((c) => c.type === "Complete")?.reason, "AnalysisFailed");
    const measured = done.status?.analysisRuns?.[0].metrics?.[0].measurements ?? [];
    assert.ok(
      measured.some((m) => m.phase === "Failed" && Number(m.value) > 0.01),
      JSON.stringify(measured),
    );
    assert.equal((await router.observe(first)).canaryWeight, 0);
    assert.deepEqual(await sendVersions(FRONTEND, 40), { "1.4.0": 40 });
    assert.deepEqual(await containers(ns, { environment: "canary-p", release: "shop-1-5-0-errors" }), []);
  });

  it("Prometheus unreachable mid-analysis: the analysis ends in Error and the canary pauses, never passing", async () => {
    const stablePort = await deployStable(de, "canary-q", "shop-1-4-0", "1.4.0");
    const front = await startFront("canary_q_web", stablePort);
    cleanups.push(() => front.stop());
    const relay = await startRelay(new URL(PROMETHEUS_URL));
    cleanups.push(() => relay.close());
    const steps = [{ setWeight: 10 }, { analysis: { metrics: ["up"] } }, { setWeight: 100 }];
    const spec = {
      release: "shop-1-5-0",
      environment: "canary-q",
      steps,
      router: { plugin: "haproxy", haproxy: { runtimeApi: front.haproxy.runtimeApi, backend: front.haproxy.backend } },
      analysis: {
        metrics: [
          {
            name: "up",
            interval: "1s",
            count: 30,
            consecutiveErrorLimit: 2,
            successCondition: "result == 0",
            // 0 while Prometheus scrapes itself: every measurement passes until it cannot be asked.
            provider: { prometheus: { address: relay.url, query: 'sum(up{job="prometheus"}) - 1' } },
          },
        ],
      },
    };
    await canaries().create(canaryOf(ns, "web-q", spec));
    await waitCanary("web-q", "to pass a measurement", (c) =>
      (c.status?.analysisRuns?.[0]?.metrics?.[0]?.measurements ?? []).some((m) => m.phase === "Successful"),
    );
    await relay.close();
    const paused = await waitCanary("web-q", "to stop analysing", (c) => c.status?.phase !== "Progressing");
    assert.equal(paused.status?.phase, "Paused", paused.status?.message);
    assert.match(paused.status?.conditions?.find((c) => c.type === "Progressing")?.reason ?? "", /AnalysisError/);
    const run = paused.status?.analysisRuns?.[0];
    assert.ok(["Error", "Inconclusive"].includes(run?.phase ?? ""), JSON.stringify(run));
    const measured = run?.metrics?.[0].measurements ?? [];
    assert.ok(
      measured.some((m) => m.phase === "Error"),
      JSON.stringify(measured),
    );
    assert.equal(paused.status?.currentWeight, 10);
    assert.equal(await routerWeight(front.haproxy), 10);
  });
});
