// Benchmark of canary aborts through HAProxy and nginx, written to bench/canary.md. For each router
// (a real haproxy and a real nginx of the bench's own, in front of three stable and two canary
// identity backends, the router conformance suite's pool: HAProxy fills server slots per side):
//   1. the time from the failing measurement (its finishedAt) to 0% canary traffic read back from
//      the router (the moment the walker removes the canary units), while a load generator sends
//      requests through the router; beside it, in the same run, the floor any abort through that
//      router pays: one raw runtime-API `set weight` round trip (HAProxy), one raw SIGHUP reload
//      until a fresh connection sees the new file (nginx);
//   2. requests that started after the abort decision (the failing measurement) and still reached
//      the canary, beside the canary requests in a window of the same length just before it (what
//      would have reached the canary had nothing been decided), and those that started after 0% was
//      read back (must be 0);
//   3. split accuracy: the canary's share of BENCH_REQUESTS requests at weights 10 and 50, beside a
//      random (Bernoulli) split of the same number of requests drawn in the same run.
// The analysis queries the estate's Prometheus for `vector(0.2)` (an error rate that always fails).
// Needs haproxy and nginx (hack/estate.sh up installs both) and the estate's Prometheus.
// Run: npx tsx hack/bench/canary.ts (BENCH_ROUNDS, BENCH_REQUESTS)
import { readFile, writeFile } from "node:fs/promises";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import type { Canary } from "../../crds/canary.ts";
import { type CanaryDeps, routerFor, walk } from "../../controllers/canary/index.ts";
import { parseRuntimeAddress, runtimeCommand } from "../../controllers/routers/haproxy/runtime-api.ts";
import { readLiveState } from "../../controllers/routers/nginx/live-state.ts";
import { masterPid } from "../../controllers/routers/nginx/reload.ts";
import { parseRenderedState, renderConfig } from "../../controllers/routers/nginx/render.ts";
import { POOL, sendRequests, startIdentityPools } from "../../sdk/testing/router-conformance.ts";
import { startHaproxy } from "../../test/routers/haproxy-server.ts";
import { startNginx } from "../../test/routers/nginx-server.ts";
import { quantile } from "./stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const PROMETHEUS = process.env.STELLA_TEST_PROMETHEUS ?? "http://127.0.0.1:9090";
const WEIGHTS = [10, 50];
const ms = (v: number) => v.toFixed(1);
const now = () => performance.timeOrigin + performance.now();

const load = loadavg()[0].toFixed(1);
const backends = await startIdentityPools(POOL);
const target = {
  namespace: "bench",
  environment: "prod",
  component: "web",
  stable: backends.stable,
  canary: backends.canary,
};

/** One router under test: its Canary.spec.router, where requests enter, and its raw floor. */
interface RouterUnderTest {
  name: string;
  entry: string;
  router: Canary["spec"]["router"];
  /** One raw change through the router's own mechanism, without Stella; resolves with its ms. */
  raw(): Promise<number>;
  cleanup(): Promise<void>;
}

async function haproxyUnderTest(): Promise<RouterUnderTest> {
  const haproxy = await startHaproxy("bench_web", backends);
  const api = parseRuntimeAddress(haproxy.runtimeApi);
  return {
    name: "HAProxy",
    entry: haproxy.entry,
    router: { plugin: "haproxy", haproxy: { runtimeApi: haproxy.runtimeApi, backend: haproxy.backend } },
    async raw() {
      const t0 = performance.now();
      await runtimeCommand(api, `set weight ${haproxy.backend}/canary 0`);
      return performance.now() - t0;
    },
    cleanup: () => haproxy.cleanup(),
  };
}

async function nginxUnderTest(): Promise<RouterUnderTest> {
  const nginx = await startNginx();
  const { configFile, listen } = nginx.settings;
  // What an operator (or hack/estate/nginx.sh) does first: nginx serves the router's file, weight 0.
  // The walker reads the weight back before its first step; with no file there is nothing to read.
  await routerFor({ spec: { router: { plugin: "nginx", nginx: nginx.settings } } } as Canary).setWeight(target, 0);
  return {
    name: "nginx",
    entry: nginx.entry,
    router: { plugin: "nginx", nginx: nginx.settings },
    // The file the router last wrote, one generation on, then SIGHUP and fresh connections until
    // one answers with it (the router itself waits for several in a row).
    async raw() {
      const t0 = performance.now();
      const state = parseRenderedState(await readFile(configFile, "utf8"));
      if (!state) throw new Error(`${configFile} is not the router's`);
      const next = { ...state, generation: state.generation + 1 };
      await writeFile(configFile, renderConfig("stella_bench_prod_web", next, { listen, ...target }));
      process.kill(await masterPid(nginx.settings.pidFile), "SIGHUP");
      while ((await readLiveState(listen).catch(() => state)).generation !== next.generation);
      return performance.now() - t0;
    },
    cleanup: () => nginx.cleanup(),
  };
}

function canary(rut: RouterUnderTest, round: number): Canary {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name: `bench-${round}`, namespace: "bench", uid: `bench-${round}-${Date.now()}` },
    spec: {
      release: "shop-1-5-0",
      environment: "prod",
      component: "web",
      router: rut.router,
      steps: [
        { setWeight: 50 },
        { pause: { duration: "1s" } },
        { analysis: { metrics: ["error-rate"] } },
        { setWeight: 100 },
      ],
      analysis: {
        metrics: [
          {
            name: "error-rate",
            successCondition: "result < 0.01",
            provider: { prometheus: { address: PROMETHEUS, query: "vector(0.2)" } },
          },
        ],
      },
    },
  };
}

/** What one router's rounds measured. */
interface Figures {
  abortMs: number[];
  rawMs: number[];
  afterDecision: number[];
  beforeDecision: number[];
  afterZero: number[];
  split: string[];
}

async function abortRound(rut: RouterUnderTest, round: number, f: Figures): Promise<void> {
  let removedAt = 0;
  const deps: CanaryDeps = {
    router: routerFor,
    units: {
      ensure: async () => target,
      removeCanary: async () => void (removedAt = now()),
      removeStable: async () => {},
    },
    secretValue: () => async () => "",
    recordEvidence: async (_ns, name) => name,
    now: () => Date.now(),
  };
  // Load: one request at a time on fresh connections, each stamped with its start time.
  const answers: { at: number; canary: boolean }[] = [];
  let loading = true;
  const load = (async () => {
    while (loading) {
      const at = now();
      answers.push({ at, canary: (await sendRequests(rut.entry, 1)).canary === 1 });
    }
  })();
  // Passes of the walker as the reconciler makes them: again after each requeueAfter.
  const c = canary(rut, round);
  for (;;) {
    const pass = await walk(c, deps);
    c.status = pass.status;
    if (pass.requeueAfter === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, pass.requeueAfter));
  }
  const status = c.status;
  loading = false;
  await load;
  if (status.phase !== "Aborted") throw new Error(`${rut.name} round ${round}: ${status.phase} ${status.message}`);
  const decidedAt = Date.parse(status.analysisRuns?.[0].metrics?.[0].measurements?.[0].finishedAt ?? "");
  const window = removedAt - decidedAt;
  const canaryBetween = (from: number, to: number) =>
    answers.filter((a) => a.canary && a.at >= from && a.at < to).length;
  f.abortMs.push(window);
  f.afterDecision.push(canaryBetween(decidedAt, removedAt));
  f.beforeDecision.push(canaryBetween(decidedAt - window, decidedAt));
  f.afterZero.push(canaryBetween(removedAt, Infinity));
  f.rawMs.push(await rut.raw());
}

async function benchRouter(rut: RouterUnderTest): Promise<Figures> {
  const f: Figures = { abortMs: [], rawMs: [], afterDecision: [], beforeDecision: [], afterZero: [], split: [] };
  for (let round = 0; round < ROUNDS; round++) await abortRound(rut, round, f);
  const router = routerFor(canary(rut, 0));
  for (const weight of WEIGHTS) {
    await router.setWeight(target, weight);
    const t = await sendRequests(rut.entry, REQUESTS);
    let coin = 0;
    for (let i = 0; i < REQUESTS; i++) if (Math.random() * 100 < weight) coin++;
    const share = (n: number) => `${((100 * n) / REQUESTS).toFixed(1)}%`;
    f.split.push(`| ${rut.name} | ${weight}% | ${share(t.canary)} | ${t.other} | ${share(coin)} |`);
  }
  await router.close();
  return f;
}

const results: { name: string; f: Figures }[] = [];
for (const start of [haproxyUnderTest, nginxUnderTest]) {
  const rut = await start();
  try {
    results.push({ name: rut.name, f: await benchRouter(rut) });
  } finally {
    await rut.cleanup();
  }
}
await backends.close();

const row = (name: string, v: number[]) =>
  `| ${name} | ${ms(quantile(v, 0.5))} | ${ms(quantile(v, 0.9))} | ${ms(Math.max(...v))} |`;
const floor = (name: string) => (name === "HAProxy" ? "one raw runtime-API set weight" : "one raw SIGHUP reload, seen");
const md = `# Canary aborts through HAProxy and nginx

\`npx tsx hack/bench/canary.ts\`: Debian haproxy 2.6 and nginx 1.22 of the bench's own in front of
${POOL.stable} stable and ${POOL.canary} canary identity backends (HAProxy: one server slot each),
${ROUNDS} rounds per router, a load generator sending one request at a time on fresh connections, the analysis querying the estate's Prometheus. Machine: ${cpus().length} cores, load
average ${load} at the start (shared with other work). Goal from issue 15: failing measurement to 0%
canary traffic within 2 s with HAProxy. Each round: weight 50, a pause of 1 s (the walker passes
again after it, as the reconciler would), an analysis whose measurement fails, the abort.

## Failing measurement to 0% canary traffic

| ms | p50 | p90 | max |
|---|---|---|---|
${results.flatMap(({ name, f }) => [row(`${name}: failing measurement → 0% read back (routes cleared, weight 0 verified)`, f.abortMs), row(`${name} baseline: ${floor(name)}`, f.rawMs)]).join("\n")}

## Requests that reached the canary after the abort decision

Per round; the baseline is the canary requests that started in a window of the same length just
before the decision (inside the pause, with the canary at 50%).

| router | after the decision, before 0% was read back | baseline: same-length window before | after 0% was read back |
|---|---|---|---|
${results.map(({ name, f }) => `| ${name} | ${f.afterDecision.join(", ")} | ${f.beforeDecision.join(", ")} | ${f.afterZero.join(", ")} |`).join("\n")}

## Split accuracy (${REQUESTS} requests, sequential, fresh connections)

The baseline is a random split (each request to the canary with probability weight/100) of the same
number of requests, drawn in the same run: what a router splitting at random would show.

| router | weight | canary share | failed | baseline: random split |
|---|---|---|---|---|
${results.flatMap(({ f }) => f.split).join("\n")}
`;
writeFileSync(new URL("../../bench/canary.md", import.meta.url), md);
process.stdout.write(md);
