// Benchmark of the controller runtime, written to bench/controller.md:
//   - informer cache memory (heap) at BENCH_CACHE_OBJECTS objects (default 100,000);
//   - reconcile throughput (keys/s) of a no-op reconciler (it reads its object from the cache)
//     over BENCH_RECONCILE_OBJECTS objects (default 10,000) with BENCH_WORKERS workers (1,4,16):
//     the backlog after sync, then live updates of every object — beside the raw watch event
//     rate of the same run (a plain watch on the same updates, and replaying them from the log).
// The apiserver runs in a child process (PGlite) so this process's heap is the informer's.
// Run: node --expose-gc --import tsx hack/bench/controller.ts
//   small: BENCH_CACHE_OBJECTS=5000 BENCH_RECONCILE_OBJECTS=2000 node --expose-gc --import tsx hack/bench/controller.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { Manager, silentLogger } from "../../controllers/runtime/index.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { namespaceKind } from "../../crds/namespace.ts";
import { Client, Informer, type ResourceClient } from "../../sdk/index.ts";
import { startServerProcess } from "./server-process.ts";
import { runConcurrent } from "./stats.ts";

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const CACHE_OBJECTS = num("BENCH_CACHE_OBJECTS", 100_000);
const RECONCILE_OBJECTS = num("BENCH_RECONCILE_OBJECTS", 10_000);
const WORKERS = (process.env.BENCH_WORKERS ?? "1,4,16").split(",").map(Number);
const WRITERS = num("BENCH_WRITERS", 32);

const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString("en-US");
const environment = (namespace: string, name: string): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace, labels: { app: "bench", shard: String(name.length % 7) } },
  spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
});

async function seed(envs: ResourceClient<Environment>, namespace: string, n: number): Promise<number> {
  const { seconds: s } = await runConcurrent(n, WRITERS, (i) =>
    envs.create(environment(namespace, `env-${i}`)).then(() => {}),
  );
  return n / s;
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

async function main(): Promise<void> {
  if (!gc) console.error("warning: run with node --expose-gc for stable memory figures");
  const server = await startServerProcess(0, undefined, [
    "--event-window",
    String(Math.max(100_000, RECONCILE_OBJECTS * 2)),
  ]);
  const client = Client.fromConfig({ server: server.url, caCertPem: server.ca, token: server.token });
  const envs = client.resource<Environment>(environmentKind);
  const out: string[] = [];
  try {
    for (const ns of ["bench-cache", "bench-reconcile"])
      await client.resource(namespaceKind).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });

    // 1. Informer cache memory.
    console.error(`seeding ${CACHE_OBJECTS} objects…`);
    const seedRate = await seed(envs, "bench-cache", CACHE_OBJECTS);
    const before = heapMiB();
    const informer = new Informer(envs, { namespace: "bench-cache" });
    const t0 = performance.now();
    informer.start();
    await informer.waitForSync();
    const syncS = seconds(t0);
    const after = heapMiB();
    const sample = JSON.stringify(informer.cache.list()[0]).length;
    await informer.stop();
    const cacheMiB = after - before;
    console.error(`cache: ${cacheMiB.toFixed(1)} MiB for ${informer.cache.size} objects`);
    out.push(
      `## Informer cache memory`,
      ``,
      `| objects | heap growth | per object | JSON size of one object | list + sync time | seeding rate (creates/s, ${WRITERS} writers) |`,
      `|---:|---:|---:|---:|---:|---:|`,
      `| ${informer.cache.size.toLocaleString("en-US")} | ${cacheMiB.toFixed(1)} MiB | ${Math.round((cacheMiB * 2 ** 20) / informer.cache.size)} B | ${sample} B | ${syncS.toFixed(2)} s | ${Math.round(seedRate)} |`,
      ``,
    );

    // 2. Reconcile throughput beside the raw watch event rate.
    console.error(`seeding ${RECONCILE_OBJECTS} objects…`);
    await seed(envs, "bench-reconcile", RECONCILE_OBJECTS);
    out.push(
      `## Reconcile throughput (no-op reconciler reading the cache), ${RECONCILE_OBJECTS.toLocaleString("en-US")} objects`,
      ``,
      `Backlog: keys/s from informer sync until every object was reconciled once (start to finish includes the list).`,
      `Live: every object patched once by ${WRITERS} concurrent writers while the controller runs; "raw watch" is a plain`,
      `sdk watch on the same updates, "replay" the same events read back from the server's event log as fast as it sends them.`,
      ``,
      `| workers | backlog keys/s | start→all reconciled | live reconciles/s | live raw watch events/s | reconciles / events | lag after last event | replay events/s |`,
      `|---:|---:|---:|---:|---:|---:|---:|---:|`,
    );
    for (const workers of WORKERS) out.push(await reconcileRun(client, envs, workers));
    out.push(``);
  } finally {
    client.close();
    await server.stop();
  }
  const header = [
    `# Controller runtime benchmark`,
    ``,
    `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}; apiserver on PGlite in a child process.`,
    `Command: \`BENCH_CACHE_OBJECTS=${CACHE_OBJECTS} BENCH_RECONCILE_OBJECTS=${RECONCILE_OBJECTS} BENCH_WORKERS=${WORKERS.join(",")} node --expose-gc --import tsx hack/bench/controller.ts\``,
    ``,
  ];
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/controller.md", [...header, ...out].join("\n"));
  console.log([...header, ...out].join("\n"));
}

async function reconcileRun(client: Client, envs: ResourceClient<Environment>, workers: number): Promise<string> {
  const n = RECONCILE_OBJECTS;
  const mgr = new Manager({ client, log: silentLogger });
  const cache = mgr.informer<Environment>(environmentKind, { namespace: "bench-reconcile" }).cache;
  let reconciles = 0;
  let lastReconcile = 0;
  const c = mgr.addController({
    name: "noop",
    for: environmentKind,
    namespace: "bench-reconcile",
    concurrency: workers,
    reconciler: {
      reconcile: async ({ namespace, name }) => {
        if (cache.getByName(namespace, name)) reconciles++;
        lastReconcile = performance.now();
      },
    },
  });
  const t0 = performance.now();
  void mgr.start();
  await c.informer.waitForSync();
  const synced = performance.now();
  await until(() => reconciles >= n);
  const backlogS = seconds(synced);
  const totalS = seconds(t0);

  // Live phase: a raw watch and the controller see the same n updates.
  const startRV = c.informer.resourceVersion!;
  reconciles = 0;
  let events = 0;
  let firstEvent = 0;
  let lastEvent = 0;
  const ac = new AbortController();
  const watching = (async () => {
    for await (const e of envs.watch({ namespace: "bench-reconcile", resourceVersion: startRV, signal: ac.signal })) {
      if (e.type !== "MODIFIED") continue;
      if (events++ === 0) firstEvent = performance.now();
      lastEvent = performance.now();
    }
  })();
  await runConcurrent(n, WRITERS, (i) =>
    envs
      .patch(`env-${i}`, { spec: { displayName: `w${workers}-${i}` } }, { type: "merge", namespace: "bench-reconcile" })
      .then(() => {}),
  );
  await until(() => events >= n && c.queue.length === 0 && c.queue.inFlight === 0);
  const liveReconciles = reconciles;
  const eventsS = (lastEvent - firstEvent) / 1000;
  const lagMs = Math.max(0, lastReconcile - lastEvent);
  ac.abort();
  await watching;
  await mgr.stop();

  // Replay: the same events read back from the log with nothing else going on.
  let replayed = 0;
  const replay = new AbortController();
  const r0 = performance.now();
  for await (const e of envs.watch({ namespace: "bench-reconcile", resourceVersion: startRV, signal: replay.signal })) {
    if (e.type === "MODIFIED" && ++replayed >= n) replay.abort();
  }
  const replayS = seconds(r0);
  console.error(
    `workers ${workers}: backlog ${rate(n, backlogS)} keys/s, live ${liveReconciles} reconciles for ${events} events`,
  );
  return `| ${workers} | ${rate(n, backlogS)} | ${totalS.toFixed(2)} s | ${rate(liveReconciles, eventsS)} | ${rate(events, eventsS)} | ${(liveReconciles / events).toFixed(2)} | ${lagMs.toFixed(0)} ms | ${rate(replayed, replayS)} |`;
}

await main();
