// The estate's routers for real (hack/estate/haproxy.sh, nginx.sh): HAProxy and nginx in front of the
// examples' web ports in prod, answering through their frontends with the stable web, HAProxy's
// runtime API where ../shared/examples/canary.yaml names it, nginx's file as the nginx router writes
// it, and the estate's Prometheus scraping HAProxy's request counters. The estate's routers are
// shared: this suite reads their state and sends requests, and changes no weight or route. Skipped
// locally when the estate (or its routers) are down; fails under CI.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { DEFAULT_PORT_RANGE, unitPorts } from "../../controllers/deployment/ports.ts";
import { haproxyRouterPlugin, mapFileName } from "../../controllers/routers/haproxy/index.ts";
import { readAddresses } from "../../controllers/routers/haproxy/addresses.ts";
import { backendMaps } from "../../controllers/routers/haproxy/maps.ts";
import { parseRuntimeAddress } from "../../controllers/routers/haproxy/runtime-api.ts";
import { nginxRouterPlugin, renderConfig } from "../../controllers/routers/nginx/index.ts";
import { loadExample } from "../fixtures.ts";
import { PROMETHEUS_URL } from "../gates/prometheus-env.ts";
import { ESTATE_DIR, estateSkipReason } from "./estate-env.ts";
import { holdEstateHaproxy } from "./haproxy-lock.ts";
import { answers, get, startWeb, type WebContainer } from "./web-container.ts";

const run = promisify(execFile);
const HACK = new URL("../../hack/", import.meta.url).pathname;
const HAPROXY = process.env.STELLA_TEST_HAPROXY ?? "127.0.0.1:8480";
const NGINX = process.env.STELLA_TEST_NGINX ?? "127.0.0.1:8580";
const settingsFile = (router: string) => join(ESTATE_DIR, "routers", `${router}.yaml`);

async function skipReason(): Promise<string | undefined> {
  const estate = await estateSkipReason();
  if (estate || process.env.CI === "true") return estate;
  const down: string[] = [];
  for (const entry of [HAPROXY, NGINX]) if ((await get(`http://${entry}/`)).status === 0) down.push(entry);
  return down.length > 0
    ? `the estate's routers do not answer on ${down.join(", ")}; run hack/estate.sh up`
    : undefined;
}

/** prod-web-1's web/http ports in shop/prod, blue and green, as the deployment controller derives them. */
function webPorts() {
  const web = loadExample("release.yaml")[0].spec.components.find((c: { name: string }) => c.name === "web");
  const scope = { namespace: "shop", environment: "prod", target: "prod-web-1" };
  const port = (slot: "blue" | "green") => `127.0.0.1:${unitPorts(DEFAULT_PORT_RANGE, scope, web, slot)[0].hostPort}`;
  return { stable: port("blue"), canary: port("green") };
}

/** Runs a function of the estate's scripts (sourced, not as root) and resolves with its stdout. */
async function estateFunction(name: string): Promise<string> {
  const script = `. ${HACK}estate/lib.sh; . ${HACK}estate/haproxy.sh; . ${HACK}estate/nginx.sh; ${name}`;
  return (await run("bash", ["-c", script], { env: { ...process.env, STELLA_ESTATE_DIR: ESTATE_DIR } })).stdout;
}

async function promQuery(query: string): Promise<number | undefined> {
  const url = `${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return body.data.result[0] ? Number(body.data.result[0].value[1]) : undefined;
}

const skip = await skipReason();

describe("the estate's HAProxy and nginx", { skip }, () => {
  const haproxy = skip ? undefined : parse(readFileSync(settingsFile("haproxy"), "utf8"));
  const nginx = skip ? undefined : parse(readFileSync(settingsFile("nginx"), "utf8"));
  let web: WebContainer | undefined;
  let stableBody = "";
  let release: (() => Promise<void>) | undefined;

  before(async () => {
    release = await holdEstateHaproxy(); // no other suite moves its weights meanwhile
    // The stable side the routers point at now (a canary may have repointed them since `up`).
    const servers = await readAddresses(parseRuntimeAddress(haproxy.haproxy.runtimeApi), haproxy.haproxy.backend);
    const stable = servers.get("stable");
    assert.ok(stable, "haproxy's backend has a server named stable");
    const address = `${stable.host}:${stable.port}`;
    if (!(await answers(address))) web = await startWeb("shop/web:1.5.0", stable.port);
    stableBody = (await get(`http://${address}/`)).body;
  });
  after(async () => {
    await web?.remove();
    await release?.();
  });

  it("takes the router settings the examples' canary names", () => {
    const canary = loadExample("canary.yaml")[0];
    assert.deepEqual(haproxy, canary.spec.router);
    assert.equal(nginx.plugin, "nginx");
  });

  it("starts both routers in front of prod-web-1's blue (stable) and green (canary) web ports", async () => {
    const ports = webPorts();
    const config = readFileSync(join(ESTATE_DIR, "haproxy", "haproxy.cfg"), "utf8");
    assert.match(config, new RegExp(`^  server stable ${ports.stable} weight 100$`, "m"));
    assert.match(config, new RegExp(`^  server canary ${ports.canary} weight 0$`, "m"));
    // nginx's first file is exactly what the nginx router renders for weight 0 on these ports.
    const state = { generation: 0, canaryWeight: 0, matches: {} };
    const { listen, accessLog } = nginx.nginx!;
    assert.equal(accessLog, join(ESTATE_DIR, "nginx", "access", "shop-web.log"));
    const rendered = renderConfig("stella_shop_prod_web", state, { listen, accessLog, ...toLists(ports) });
    assert.equal(await estateFunction("nginx_router_file"), rendered);
  });

  it("gives shop_web four server slots per side, one per prod target, all but the first in maintenance", async () => {
    const config = await estateFunction("haproxy_config");
    const ports = webPorts();
    for (const side of ["stable", "canary"] as const) {
      assert.match(config, new RegExp(`^  server ${side} ${ports[side]} weight ${side === "stable" ? 100 : 0}$`, "m"));
      for (const n of [2, 3, 4])
        assert.match(config, new RegExp(`^  server ${side}-${n} ${ports[side]} weight 0 disabled$`, "m"));
    }
    assert.doesNotMatch(config, /^ {2}server \w+-5 /m);
  });

  it("answers through both frontends with the stable web", async () => {
    assert.match(stableBody, /shop web/);
    for (const entry of [HAPROXY, NGINX]) {
      const answer = await get(`http://${entry}/`);
      assert.deepEqual(answer, { status: 200, body: stableBody }, entry);
    }
  });

  it("reads back through the routers: weights, maps, nginx's live state", async () => {
    const api = parseRuntimeAddress(haproxy.haproxy.runtimeApi);
    const target = { namespace: "shop", environment: "prod", component: "web", stable: [], canary: [] };
    const seen = await haproxyRouterPlugin.connect(haproxy.haproxy).observe(target);
    assert.ok(seen.canaryWeight >= 0 && seen.canaryWeight <= 100, JSON.stringify(seen));
    const maps = await backendMaps(api, haproxy.haproxy.backend);
    for (const match of [{ name: "x-canary" }, { name: "canary_user", cookie: true }])
      assert.ok(maps.has(mapFileName(haproxy.haproxy.backend, match)), [...maps.keys()].join(", "));
    const live = await nginxRouterPlugin.connect(nginx.nginx).observe(target);
    assert.equal(typeof live.canaryWeight, "number");
    const pid = Number(readFileSync(nginx.nginx.pidFile, "utf8").trim());
    assert.doesNotThrow(() => process.kill(pid, 0), "the pid file names a running nginx master");
  });

  it("is scraped by Prometheus, whose request counters follow the requests sent", async () => {
    assert.equal(await promQuery('up{job="haproxy"}'), 1);
    const query = 'sum(haproxy_server_http_responses_total{proxy="shop_web",server="stable",code="2xx"})';
    const before = (await promQuery(query)) ?? 0;
    for (let i = 0; i < 10; i++) assert.equal((await get(`http://${HAPROXY}/`)).status, 200);
    const until = Date.now() + 30_000;
    let now = before;
    while (now < before + 10) {
      assert.ok(Date.now() < until, `Prometheus still counts ${now} (was ${before}) 30 s after 10 requests`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      now = (await promQuery(query)) ?? 0;
    }
  });

  it("names both routers and their ports in `hack/estate.sh status`", async () => {
    const out = await run("bash", [`${HACK}estate.sh`, "status"]).then(
      (r) => r.stdout,
      (err: { stdout: string }) => err.stdout,
    );
    assert.match(
      out,
      new RegExp(`^haproxy +running .*http://${HAPROXY} .*runtime API ${haproxy.haproxy.runtimeApi}`, "m"),
    );
    assert.match(out, new RegExp(`^nginx +running .*http://${NGINX} `, "m"));
  });
});

function toLists(ports: { stable: string; canary: string }) {
  return { stable: [ports.stable], canary: [ports.canary] };
}
