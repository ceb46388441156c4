// Benchmark of the apiserver on both backends in one run, written to bench/apiserver.md:
//   - create throughput and p50/p99 latency over HTTPS at several concurrencies, beside raw
//     single-row INSERTs on the same database engine (the ratio is the headline);
//   - watch delivery latency p50/p99 to 100 watchers while writing;
//   - LIST latency at 10,000 objects;
//   - server memory (RSS) at 100,000 objects.
// Run: npx tsx hack/bench/apiserver.ts   (PostgreSQL from hack/postgres.sh; scale with env vars:
//   BENCH_CREATES=2000 BENCH_WATCHERS=100 BENCH_LIST_OBJECTS=10000 BENCH_MEMORY_OBJECTS=100000
//   BENCH_BACKENDS=pglite,postgres STELLA_BENCH_DATABASE_URL=postgres://...)
import { mkdirSync, writeFileSync } from "node:fs";
import postgres from "postgres";
import { BenchClient } from "./http-client.ts";
import { rawPglite, rawPostgres } from "./raw-insert.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";
import { ms, quantile, runConcurrent } from "./stats.ts";

const env = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const CREATES = env("BENCH_CREATES", 2000);
const WATCHERS = env("BENCH_WATCHERS", 100);
const WATCH_WRITES = env("BENCH_WATCH_WRITES", 500);
const LIST_OBJECTS = env("BENCH_LIST_OBJECTS", 10_000);
const MEMORY_OBJECTS = env("BENCH_MEMORY_OBJECTS", 100_000);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? "1,8,32").split(",").map(Number);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "pglite,postgres").split(",");
const PG_BASE = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";

const ns = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const envObj = (name: string, namespace: string, extra: Record<string, string> = {}) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace, annotations: extra },
  spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
});
const coll = (namespace: string) => `/apis/release.stella.io/v1alpha1/namespaces/${namespace}/environments`;

async function freshDatabase(name: string): Promise<string> {
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

async function fill(client: BenchClient, namespace: string, total: number, from = 0): Promise<void> {
  await client.send("POST", "/api/v1/namespaces", ns(namespace));
  let done = from;
  await runConcurrent(total - from, 32, async (i) => {
    const r = await client.send("POST", coll(namespace), envObj(`obj-${from + i}`, namespace));
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
    if (++done % 10_000 === 0) process.stderr.write(`  ${done}/${total} objects\n`);
  });
}

interface BackendReport {
  backend: string;
  rows: string[];
}

async function benchBackend(backend: string, port: number): Promise<BackendReport> {
  const rows: string[] = [];
  const url = backend === "postgres" ? await freshDatabase("stella_bench") : undefined;
  process.stderr.write(`[${backend}] raw INSERT baseline\n`);
  const raw: Record<number, { perSecond: number; latencies: number[] }> = {};
  for (const c of CONCURRENCIES) raw[c] = url ? await rawPostgres(url, CREATES, c) : await rawPglite(CREATES, c);
  const server: ServerProcess = await startServerProcess(port, url);
  const client = new BenchClient(server.url, server.ca, server.token);
  try {
    rows.push(`### ${backend}`, "", "| concurrency | API creates/s | p50 ms | p99 ms | raw INSERTs/s | raw p99 ms | API / raw |", "|---|---|---|---|---|---|---|");
    for (const c of CONCURRENCIES) {
      const namespace = `create-c${c}`;
      await client.send("POST", "/api/v1/namespaces", ns(namespace));
      process.stderr.write(`[${backend}] ${CREATES} creates at concurrency ${c}\n`);
      const r = await runConcurrent(CREATES, c, async (i) => {
        const res = await client.send("POST", coll(namespace), envObj(`e-${i}`, namespace));
        if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
      });
      const api = CREATES / r.seconds;
      rows.push(`| ${c} | ${api.toFixed(0)} | ${ms(quantile(r.latencies, 0.5))} | ${ms(quantile(r.latencies, 0.99))} | ${raw[c].perSecond.toFixed(0)} | ${ms(quantile(raw[c].latencies, 0.99))} | ${(api / raw[c].perSecond).toFixed(2)} |`);
    }

    process.stderr.write(`[${backend}] watch delivery to ${WATCHERS} watchers\n`);
    await client.send("POST", "/api/v1/namespaces", ns("watched"));
    const sent = new Map<string, number>();
    const delays: number[] = [];
    let ready = 0;
    const watches = Array.from({ length: WATCHERS }, () =>
      client.watch(`${coll("watched")}?watch=true&allowWatchBookmarks=true&resourceVersion=0`, (line) => {
        const ev = JSON.parse(line);
        if (ev.type === "BOOKMARK") return;
        const t = sent.get(ev.object.metadata.name);
        if (t !== undefined) delays.push(performance.now() - t);
      }),
    );
    // Let every watch connect before writing.
    await new Promise((r) => setTimeout(r, 1500 + WATCHERS * 10));
    ready = WATCHERS;
    const w = await runConcurrent(WATCH_WRITES, 4, async (i) => {
      const name = `w-${i}`;
      sent.set(name, performance.now());
      await client.send("POST", coll("watched"), envObj(name, "watched"));
    });
    const deadline = Date.now() + 30_000;
    while (delays.length < WATCH_WRITES * ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const x of watches) x.close();
    rows.push(
      "",
      `Watch delivery: ${WATCHERS} watchers, ${WATCH_WRITES} creates at ${(WATCH_WRITES / w.seconds).toFixed(0)}/s: ` +
        `${delays.length}/${WATCH_WRITES * WATCHERS} deliveries, p50 ${ms(quantile(delays, 0.5))} ms, p99 ${ms(quantile(delays, 0.99))} ms (create sent -> event received).`,
    );

    process.stderr.write(`[${backend}] LIST at ${LIST_OBJECTS} objects\n`);
    await fill(client, "listed", LIST_OBJECTS);
    const lists = await runConcurrent(10, 1, async () => {
      const r = await client.send("GET", coll("listed"));
      if (r.status !== 200) throw new Error(`list failed ${r.status}`);
    });
    const tables = await runConcurrent(10, 1, async () => {
      await client.send("GET", coll("listed"), undefined, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    });
    rows.push(`LIST of ${LIST_OBJECTS} objects: p50 ${ms(quantile(lists.latencies, 0.5))} ms, p99 ${ms(quantile(lists.latencies, 0.99))} ms (JSON); as Table p50 ${ms(quantile(tables.latencies, 0.5))} ms.`);

    if (MEMORY_OBJECTS > 0) {
      process.stderr.write(`[${backend}] memory at ${MEMORY_OBJECTS} objects\n`);
      const before = server.rssMiB();
      await fill(client, "memory", MEMORY_OBJECTS);
      const big = await runConcurrent(3, 1, async () => void (await client.send("GET", coll("memory"))));
      rows.push(
        `Server RSS: ${before.toFixed(0)} MiB before, ${server.rssMiB().toFixed(0)} MiB with ${MEMORY_OBJECTS} more objects stored` +
          ` (LIST of all ${MEMORY_OBJECTS}: p50 ${ms(quantile(big.latencies, 0.5))} ms).`,
      );
    }
  } finally {
    client.close();
    await server.stop();
  }
  return { backend, rows };
}

const reports: BackendReport[] = [];
for (const b of BACKENDS) reports.push(await benchBackend(b, 0));
const md = [
  "# Apiserver benchmark",
  "",
  `Run ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}. Command: \`npx tsx hack/bench/apiserver.ts\`.`,
  "Goals: API create throughput ≥ half the raw insert rate; watch p99 < 20 ms; 10k-object LIST < 200 ms.",
  "",
  ...reports.flatMap((r) => [...r.rows, ""]),
].join("\n");
mkdirSync("bench", { recursive: true });
writeFileSync("bench/apiserver.md", md);
process.stdout.write(md + "\n");
process.exit(0);
