// Benchmark of canary aborts through HAProxy, written to bench/canary.md:
//   1. the time from the failing measurement (its finishedAt) to 0% canary traffic read back from
//      HAProxy (the moment the walker removes the canary units), while a load generator sends
//      requests through HAProxy; and how many requests that started after the failing measurement
//      still reached the canary; beside, in the same run, one raw runtime-API `set weight` round
//      trip (the floor any abort through HAProxy pays);
//   2. split accuracy: the canary's share of BENCH_REQUESTS requests at weights 10 and 50.
// Needs haproxy (hack/services.sh up) and the estate's Prometheus. Run: npx tsx hack/bench/canary.ts
import { writeFileSync } from "node:fs";
import type { Canary } from "../../crds/canary.ts";
import { type CanaryDeps, routerFor, walk } from "../../controllers/canary/index.ts";
import { parseRuntimeAddress, runtimeCommand } from "../../controllers/routers/haproxy/runtime-api.ts";
import { sendRequests, startIdentityBackends } from "../../sdk/testing/router-conformance.ts";
import { startHaproxy } from "../../test/routers/haproxy-server.ts";
import { quantile } from "./stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const PROMETHEUS = process.env.STELLA_TEST_PROMETHEUS ?? "http://127.0.0.1:9090";
const ms = (v: number) => v.toFixed(1);

const backends = await startIdentityBackends();
const haproxy = await startHaproxy("bench_web", backends);
const api = parseRuntimeAddress(haproxy.runtimeApi);

function canary(round: number): Canary {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Canary",
    metadata: { name: `bench-${round}`, namespace: "bench", uid: `bench-${round}-${Date.now()}` },
    spec: {
      release: "shop-1-5-0",
      environment: "prod",
      component: "web",
      router: { plugin: "haproxy", haproxy: { runtimeApi: haproxy.runtimeApi, backend: haproxy.backend } },
      steps: [{ setWeight: 50 }, { analysis: { metrics: ["error-rate"] } }, { setWeight: 100 }],
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

const abortMs: number[] = [];
const lateCanary: number[] = [];
const rawMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let removedAt = 0;
  const deps: CanaryDeps = {
    router: routerFor,
    units: {
      ensure: async () => ({ namespace: "bench", environment: "prod", component: "web", ...toTarget() }),
      removeCanary: async () => void (removedAt = performance.timeOrigin + performance.now()),
      removeStable: async () => {},
    },
    secretValue: () => async () => "",
    recordEvidence: async (_ns, name) => name,
    now: () => Date.now(),
  };
  // Load: one request at a time on fresh connections, each stamped with its start time.
  const answers: { at: number; side: string }[] = [];
  let loading = true;
  const load = (async () => {
    while (loading) {
      const at = performance.timeOrigin + performance.now();
      const t = await sendRequests(haproxy.entry, 1);
      answers.push({ at, side: t.canary ? "canary" : t.stable ? "stable" : "other" });
    }
  })();
  const { status } = await walk(canary(round), deps);
  loading = false;
  await load;
  if (status.phase !== "Aborted") throw new Error(`round ${round}: ${status.phase} ${status.message}`);
  const failedAt = Date.parse(status.analysisRuns?.[0].metrics?.[0].measurements?.[0].finishedAt ?? "");
  abortMs.push(removedAt - failedAt);
  lateCanary.push(answers.filter((a) => a.at > removedAt && a.side === "canary").length);
  const t0 = performance.now();
  await runtimeCommand(api, `set weight ${haproxy.backend}/canary 0`);
  rawMs.push(performance.now() - t0);
}

function toTarget() {
  return { stable: [backends.stable], canary: [backends.canary] };
}

const split: string[] = [];
for (const weight of [10, 50]) {
  const router = routerFor(canary(0));
  await router.setWeight({ namespace: "bench", environment: "prod", component: "web", ...toTarget() }, weight);
  const t = await sendRequests(haproxy.entry, REQUESTS);
  split.push(`| ${weight}% | ${((100 * t.canary) / REQUESTS).toFixed(1)}% | ${t.other} |`);
}
await haproxy.cleanup();
await backends.close();

const row = (name: string, v: number[]) =>
  `| ${name} | ${ms(quantile(v, 0.5))} | ${ms(quantile(v, 0.9))} | ${ms(Math.max(...v))} |`;
const md = `# Canary aborts through HAProxy

\`npx tsx hack/bench/canary.ts\` (Debian haproxy, ${ROUNDS} rounds, a load generator running,
the estate's Prometheus). Goal from issue 15: failing measurement to 0% canary traffic within 2 s.

| ms | p50 | p90 | max |
|---|---|---|---|
${row("failing measurement → 0% read back from HAProxy (routes cleared, weight 0 verified)", abortMs)}
${row("baseline: one raw runtime-API set weight round trip", rawMs)}

Requests that started after 0% was read back and still reached the canary: ${lateCanary.join(", ")} (per round).

## Split accuracy (${REQUESTS} requests, sequential, fresh connections)

| weight | canary share | failed |
|---|---|---|
${split.join("\n")}
`;
writeFileSync(new URL("../../bench/canary.md", import.meta.url), md);
process.stdout.write(md);
