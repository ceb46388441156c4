// Canaries on the local estate: a stable release deployed by the controllers onto a docker target,
// a haproxy of the test's own in front of its unit (runtime API on a free loopback port), a load
// generator through it that tells the releases apart by their answers, and a small HTTP endpoint
// serving the canary server's 5xx share from haproxy's own counters (`show stat`), read by the web
// metric provider. The erroring release runs the shop web image with a CGI index that answers 500
// to half its requests (hack/estate's shop/web:1.5.0-errors is another branch's).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Canary, CanarySpec, CanaryStep } from "../../crds/canary.ts";
import type { CanaryStrategy } from "../../crds/deployment-strategy.ts";
import type { ReleaseComponent } from "../../crds/release.ts";
import { parseRuntimeAddress, runtimeCommand } from "../../controllers/routers/haproxy/runtime-api.ts";
import { HaproxyRouter } from "../../controllers/routers/haproxy/index.ts";
import { startHaproxy, type HaproxyServer } from "../routers/haproxy-server.ts";
import {
  containers,
  deployment,
  dockerTarget,
  environment,
  hostPort,
  release,
  waitFor,
  waitPhase,
  web,
  type DeployEnv,
} from "../deploy/deploy-env.ts";

/** Host ports the canary tests assign (apart from the deployment tests' 24000-24999). */
export const CANARY_PORTS = { from: 25000, to: 25999 };

/**
 * The web component of the estate image at `tag`, answering 500 to half the requests for `/` when
 * `errors`. Its health check is more patient than the deployment tests' (1 s probes, unhealthy after
 * five misses): these suites are about analysis and routing, and beside a busy CI lane two 500 ms
 * probes timing out in a row once ended a canary CanaryUnhealthy instead of AnalysisFailed.
 */
export function webComponent(tag: string, errors = false): ReleaseComponent {
  const quick = web(tag);
  const base = {
    ...quick,
    healthCheck: { ...quick.healthCheck, interval: "1s", timeout: "1s", unhealthyThreshold: 5 },
  };
  if (!errors) return base;
  const ok = `Content-Type: text/html\\r\\n\\r\\nshop web ${tag}\\n`;
  const bad = `Status: 500 Internal Server Error\\r\\n\\r\\nshop web ${tag} failed\\n`;
  const cgi = `#!/bin/sh\\nif [ $((RANDOM %% 2)) = 0 ]; then printf "${bad}"; else printf "${ok}"; fi\\n`;
  const script = [
    "mkdir -p /tmp/w/cgi-bin",
    "cp /www/healthz /www/version /tmp/w/",
    `printf '${cgi}' > /tmp/w/cgi-bin/index.cgi`,
    "chmod +x /tmp/w/cgi-bin/index.cgi",
    "exec httpd -f -p 127.0.0.1:$PORT -h /tmp/w",
  ].join(" && ");
  return { ...base, command: ["sh", "-c", script] };
}

/** Deploys release `name` (web at `tag`) into a new environment `env` and waits until it is current. */
export async function deployStable(de: DeployEnv, env: string, name: string, tag: string): Promise<number> {
  const ns = de.namespace;
  await de.releases.create(release(ns, name, [webComponent(tag)])).catch(() => undefined);
  await de.environments.create(
    environment(ns, env, { deployment: { strategy: { type: "AllAtOnce" }, progressDeadline: "2m" } }),
  );
  await de.targets.create(dockerTarget(ns, `${env}-docker`, env));
  await de.deployments.create(deployment(ns, `${env}-stable`, { release: name, environment: env }));
  const d = await waitPhase(de, `${env}-stable`, ["Succeeded", "Failed", "RolledBack"], 120_000);
  if (d.status?.phase !== "Succeeded") throw new Error(`stable deployment ${d.status?.phase}: ${d.status?.message}`);
  await waitFor(
    `${env} to show ${name}`,
    () => de.environments.get(env),
    (e) => e.status?.current?.release === name,
  );
  const [unit] = await containers(ns, { environment: env, release: name });
  return hostPort(unit);
}

/** What a canary of web through `haproxy` does: `steps`, with the error-rate metric read from `metricsUrl`. */
export function canaryPlan(haproxy: HaproxyServer, metricsUrl: string, steps: CanaryStep[]): CanaryStrategy {
  return {
    component: "web",
    router: { plugin: "haproxy", haproxy: { runtimeApi: haproxy.runtimeApi, backend: haproxy.backend } },
    steps,
    analysis: {
      metrics: [
        {
          name: "error-rate",
          interval: "1s",
          count: 3,
          failureLimit: 1,
          successCondition: "result < 0.01",
          provider: { web: { url: metricsUrl, jsonPath: "{$.errorRate}" } },
        },
      ],
    },
    scaleDownDelay: "2s",
  };
}

/** A Canary of web in `env` through `haproxy`, with the error-rate metric read from `metricsUrl`. */
export function canaryObject(
  ns: string,
  name: string,
  spec: Pick<CanarySpec, "release" | "environment" | "steps"> & Partial<CanarySpec>,
  haproxy: HaproxyServer,
  metricsUrl: string,
): Canary {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name, namespace: ns },
    spec: { ...canaryPlan(haproxy, metricsUrl, spec.steps), ...spec },
  };
}

/** The canary server's share of 5xx answers in haproxy's counters; null before it answered any. */
export async function canaryErrorRate(haproxy: HaproxyServer): Promise<number | null> {
  const csv = await runtimeCommand(parseRuntimeAddress(haproxy.runtimeApi), `show stat`);
  const lines = csv.split("\n").filter(Boolean);
  const columns = lines[0].replace(/^# /, "").split(",");
  const row = lines
    .map((l) => l.split(","))
    .find((f) => f[columns.indexOf("pxname")] === haproxy.backend && f[columns.indexOf("svname")] === "canary");
  if (!row) return null;
  const count = (c: string) => Number(row[columns.indexOf(c)] || 0);
  const total = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"].reduce(
    (sum, c) => sum + count(c),
    0,
  );
  return total === 0 ? null : count("hrsp_5xx") / total;
}

/** An HTTP endpoint answering `{"errorRate": x}` from haproxy's counters. */
export async function startMetrics(haproxy: HaproxyServer): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    canaryErrorRate(haproxy).then(
      (errorRate) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ errorRate })),
      (err: Error) => res.writeHead(502).end(err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Answers through the router by release version (`1.4.0`, `1.5.0`), 5xx, or failure. */
export type VersionTally = Record<string, number>;

function once(entry: string): Promise<string> {
  const [host, port] = [entry.slice(0, entry.lastIndexOf(":")), Number(entry.slice(entry.lastIndexOf(":") + 1))];
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: "/", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        if (res.statusCode !== 200) return resolve(`status ${res.statusCode}`);
        resolve(/shop web (\d+\.\d+\.\d+)/.exec(body)?.[1] ?? "other");
      });
    });
    req.on("error", () => resolve("error"));
  });
}

/** Sends `count` requests through `entry` and counts the answers. */
export async function sendVersions(entry: string, count: number): Promise<VersionTally> {
  const tally: VersionTally = {};
  for (let i = 0; i < count; i++) {
    const answer = await once(entry);
    tally[answer] = (tally[answer] ?? 0) + 1;
  }
  return tally;
}

/** A steady trickle of requests through `entry` (one every 20 ms) until stopped. */
export function startLoad(entry: string): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await once(entry);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** The canary weight haproxy really applies now. */
export async function routerWeight(haproxy: HaproxyServer): Promise<number> {
  const router = new HaproxyRouter({ runtimeApi: haproxy.runtimeApi, backend: haproxy.backend });
  const target = { namespace: "", environment: "", component: "web", stable: [], canary: [] };
  return (await router.observe(target)).canaryWeight;
}

/** shop-1-4-0 deployed as the stable release of a new environment `env`, with a front (startFront) before it. */
export async function frontStable(de: DeployEnv, env: string) {
  const stablePort = await deployStable(de, env, "shop-1-4-0", "1.4.0");
  return startFront(`${env.replaceAll("-", "_")}_web`, stablePort);
}

/** Everything a canary test runs beside the controllers, in front of stable port `stablePort`. */
export async function startFront(backend: string, stablePort: number) {
  const haproxy = await startHaproxy(backend, {
    stable: `127.0.0.1:${stablePort}`,
    canary: `127.0.0.1:${stablePort}`,
  });
  const metrics = await startMetrics(haproxy);
  const load = startLoad(haproxy.entry);
  return {
    haproxy,
    metrics,
    async stop() {
      await load.stop();
      await metrics.close();
      await haproxy.cleanup();
    },
  };
}
