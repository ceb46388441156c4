// Benchmark of the apiserver on both backends in one run, written to bench/apiserver.md. Every
// figure stands beside a baseline measured in the same run on the same machine:
//   - create throughput and p50/p99 over HTTPS at several concurrencies, beside raw single-row
//     INSERTs on the same database engine, and etcd (Debian etcd-server, started here on loopback);
//   - mutating latency at a fixed write rate (open loop);
//   - watch delivery p50/p99 to 100 watchers at 100, 500 and 1,000 writes/s (create sent -> event
//     received), counting lost events; on PostgreSQL also between two server processes;
//   - throughput of one and two `stella server` processes on one PostgreSQL database;
//   - LIST latency at 10,000 objects; all pages of 100,000 objects 500 at a time;
//   - server memory (RSS) idle with controllers and at 100,000 objects.
// Run: npx tsx hack/bench/apiserver.ts   (PostgreSQL from hack/estate.sh up; scale with env vars:
//   BENCH_CREATES=2000 BENCH_CONCURRENCY=1,16 BENCH_WATCHERS=100 BENCH_WATCH_RATES=100,500,1000
//   BENCH_LIST_OBJECTS=10000 BENCH_MEMORY_OBJECTS=100000 BENCH_BACKENDS=pglite,postgres
//   STELLA_BENCH_DATABASE_URL=postgres://...; BENCH_PARTS=creates,paced,watch,replicas,list,memory picks parts,
//   BENCH_OUT=file writes the report elsewhere)
import { mkdirSync, writeFileSync } from "node:fs";
import postgres from "postgres";
import { etcdBaseline, type EtcdResult } from "./etcd-baseline.ts";
import { BenchClient } from "./http-client.ts";
import { runPaced } from "./paced.ts";
import { rawPglite, rawPostgres } from "./raw-insert.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";
import { ms, quantile, runConcurrent } from "./stats.ts";

const env = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const list = (name: string, dflt: string) => (process.env[name] ?? dflt).split(",").filter(Boolean);
const CREATES = env("BENCH_CREATES", 2000);
const WATCHERS = env("BENCH_WATCHERS", 100);
const WATCH_SECONDS = env("BENCH_WATCH_SECONDS", 3);
const WATCH_RATES = list("BENCH_WATCH_RATES", "100,500,1000").map(Number);
const IDLE_SECONDS = env("BENCH_IDLE_SECONDS", 30);
const MUTATING_RATE = env("BENCH_MUTATING_RATE", 500);
const LIST_OBJECTS = env("BENCH_LIST_OBJECTS", 10_000);
const MEMORY_OBJECTS = env("BENCH_MEMORY_OBJECTS", 100_000);
const PAGE = 500;
const CONCURRENCIES = list("BENCH_CONCURRENCY", "1,16").map(Number);
const BACKENDS = list("BENCH_BACKENDS", "pglite,postgres");
const PARTS = new Set(list("BENCH_PARTS", "creates,paced,watch,replicas,list,memory"));
const PG_BASE = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";

const ns = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const envObj = (name: string, namespace: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace },
  spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
});
const coll = (namespace: string) => `/apis/release.stella.io/v1alpha1/namespaces/${namespace}/environments`;
const stderr = (s: string) => process.stderr.write(`${s}\n`);
const pct = (xs: number[]) => `p50 ${ms(quantile(xs, 0.5))} ms, p99 ${ms(quantile(xs, 0.99))} ms`;

async function freshDatabase(name: string): Promise<string> {
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

async function create(client: BenchClient, namespace: string, name: string): Promise<void> {
  const r = await client.send("POST", coll(namespace), envObj(name, namespace));
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
}

async function fill(client: BenchClient, namespace: string, total: number): Promise<void> {
  await client.send("POST", "/api/v1/namespaces", ns(namespace));
  let done = 0;
  await runConcurrent(total, 32, async (i) => {
    await create(client, namespace, `obj-${i}`);
    if (++done % 10_000 === 0) stderr(`  ${done}/${total} objects`);
  });
}

/** Watch delivery: `watchers` watches on `reader`, creates on `writer` at `rate`/s; delays and losses. */
async function watchDelivery(writer: BenchClient, reader: BenchClient, namespace: string, rate: number) {
  await writer.send("POST", "/api/v1/namespaces", ns(namespace));
  const sent = new Map<string, number>();
  const acked = new Map<string, number>();
  const delays: number[] = [];
  // Event received minus the create's response received: the fan-out alone, without the wait of
  // the create itself (negative when the event arrived before the response).
  const afterAck: number[] = [];
  const received = new Map<string, number[]>();
  const marker = '"metadata":{"name":"';
  let duplicates = 0;
  // The name is cut out of the line rather than parsed: the load generator shares the machine's CPUs.
  const watches = Array.from({ length: WATCHERS }, () => {
    const seen = new Set<string>();
    return reader.watch(`${coll(namespace)}?watch=true&allowWatchBookmarks=true&resourceVersion=0`, (line) => {
      const at = line.indexOf(marker);
      if (at < 0 || !line.startsWith('{"type":"ADDED"')) return;
      const name = line.slice(at + marker.length, line.indexOf('"', at + marker.length));
      const t = sent.get(name);
      if (t === undefined) return;
      if (seen.has(name)) duplicates++;
      else {
        const now = performance.now();
        delays.push(now - t);
        const a = acked.get(name);
        if (a === undefined) received.set(name, [...(received.get(name) ?? []), now]);
        else afterAck.push(now - a);
      }
      seen.add(name);
    });
  });
  await new Promise((r) => setTimeout(r, 1500 + WATCHERS * 10)); // every watch connected
  const n = Math.round(rate * WATCH_SECONDS);
  const w = await runPaced(n, rate, async (i) => {
    const name = `w-${i}`;
    sent.set(name, performance.now());
    await create(writer, namespace, name);
    const now = performance.now();
    acked.set(name, now);
    for (const at of received.get(name) ?? []) afterAck.push(at - now);
    received.delete(name);
  });
  const deadline = Date.now() + 30_000;
  while (delays.length < n * WATCHERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500)); // duplicates would show as more than n * WATCHERS
  for (const x of watches) x.close();
  const lost = n * WATCHERS - delays.length;
  const got = `${delays.length}/${n * WATCHERS} deliveries (${lost} lost, ${duplicates} duplicated)`;
  const creates = `creates ${pct(w.latencies)}`;
  return `${n} creates at ${w.achieved.toFixed(0)}/s: ${got}, ${pct(delays)} (${creates}; event after the create's response ${pct(afterAck)})`;
}

interface IdleRss {
  /** The first start, which initializes the store (PGlite: initdb in WebAssembly). */
  first: number;
  /** A restart on the same data, as every later start is. */
  restarted: number;
}

/**
 * RSS of an idle server IDLE_SECONDS after it is up, with and without the in-process controllers:
 * on its first start and after a restart on the same data (a server that just started still holds
 * its start-up garbage for a while, so an earlier sample says more about start-up than idling).
 */
async function idleRss(url: string | undefined): Promise<{ withControllers: IdleRss; without: IdleRss }> {
  const idle = () => new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const measure = async (extra: string[]): Promise<IdleRss> => {
    if (url) await freshDatabase(new URL(url).pathname.slice(1));
    const s = await startServerProcess(0, url, extra);
    await idle();
    const first = s.rssMiB();
    await s.stop(true);
    const again = await startServerProcess(0, url, extra, [], s.dataDir);
    await idle();
    const restarted = again.rssMiB();
    await again.stop();
    return { first, restarted };
  };
  return { withControllers: await measure([]), without: await measure(["--no-controllers"]) };
}

/** Where a server's memory is, from its own /metrics (prom-client's process and Node.js gauges). */
async function memoryBreakdown(client: BenchClient): Promise<string> {
  const text = (await client.send("GET", "/metrics")).body;
  const mib = (name: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? (Number(line.split(" ").at(-1)) / 2 ** 20).toFixed(0) : "?";
  };
  return (
    `V8 heap ${mib("stella_nodejs_heap_size_used_bytes")} MiB used of ${mib("stella_nodejs_heap_size_total_bytes")}, ` +
    `external ${mib("stella_nodejs_external_memory_bytes")} MiB (ArrayBuffers: cached JSON, PGlite's WebAssembly memory), ` +
    `list cache ${mib("stella_storage_list_cache_bytes")} MiB of JSON`
  );
}

interface BackendReport {
  backend: string;
  rows: string[];
}

async function benchBackend(backend: string, etcd: EtcdResult | undefined): Promise<BackendReport> {
  const rows: string[] = [`### ${backend}`, ""];
  const url = backend === "postgres" ? await freshDatabase("stella_bench") : undefined;
  stderr(`[${backend}] raw INSERT baseline`);
  const raw: Record<number, { perSecond: number; latencies: number[] }> = {};
  if (PARTS.has("creates"))
    for (const c of CONCURRENCIES) raw[c] = url ? await rawPostgres(url, CREATES, c) : await rawPglite(CREATES, c);
  const idle = PARTS.has("memory") ? await idleRss(url) : undefined;
  // The API alone: the controllers would add their own writes (status) to every create.
  const server: ServerProcess = await startServerProcess(0, url, ["--no-controllers"]);
  const client = new BenchClient(server.url, server.ca, server.token);
  const replicas: ServerProcess[] = [];
  try {
    if (PARTS.has("creates")) {
      const columns = ["clients", "API creates/s", "p50 ms", "p99 ms", "raw INSERTs/s", "raw p50 ms", "API / raw"];
      columns.push("etcd puts/s", "API / etcd");
      rows.push(`| ${columns.join(" | ")} |`, `|${"---|".repeat(columns.length)}`);
      for (const c of CONCURRENCIES) {
        const namespace = `create-c${c}`;
        await client.send("POST", "/api/v1/namespaces", ns(namespace));
        stderr(`[${backend}] ${CREATES} creates with ${c} clients`);
        const r = await runConcurrent(CREATES, c, (i) => create(client, namespace, `e-${i}`));
        const api = CREATES / r.seconds;
        const e = etcd?.[c];
        const cells = [c, api.toFixed(0), ms(quantile(r.latencies, 0.5)), ms(quantile(r.latencies, 0.99))];
        cells.push(
          raw[c].perSecond.toFixed(0),
          ms(quantile(raw[c].latencies, 0.5)),
          (api / raw[c].perSecond).toFixed(2),
        );
        cells.push(e ? e.perSecond.toFixed(0) : "-", e ? (api / e.perSecond).toFixed(2) : "-");
        rows.push(`| ${cells.join(" | ")} |`);
      }
      rows.push("");
    }

    if (PARTS.has("paced")) {
      stderr(`[${backend}] mutating latency at ${MUTATING_RATE} creates/s`);
      await client.send("POST", "/api/v1/namespaces", ns("paced"));
      const paced = await runPaced(MUTATING_RATE * 4, MUTATING_RATE, (i) => create(client, "paced", `p-${i}`));
      const achieved = paced.achieved.toFixed(0);
      rows.push(`Creates at a fixed ${MUTATING_RATE}/s (achieved ${achieved}/s): ${pct(paced.latencies)}.`, "");
    }

    for (const rate of PARTS.has("watch") ? WATCH_RATES : []) {
      stderr(`[${backend}] watch delivery to ${WATCHERS} watchers at ${rate} writes/s`);
      const delivery = await watchDelivery(client, client, `watched-${rate}`, rate);
      rows.push(`Watch delivery, ${WATCHERS} watchers, one process: ${delivery}.`);
    }

    if (url && PARTS.has("replicas")) {
      const replica = await startServerProcess(0, url, ["--no-controllers"]);
      replicas.push(replica);
      const other = new BenchClient(replica.url, replica.ca, replica.token);
      const rate = Math.max(...WATCH_RATES);
      stderr(`[${backend}] watch delivery between two servers at ${rate} writes/s`);
      const delivery = await watchDelivery(client, other, "replicated", rate);
      rows.push(`Watch delivery, ${WATCHERS} watchers on a second server process, writes to the first: ${delivery}.`);
      const total = Math.max(...CONCURRENCIES, 16);
      stderr(`[${backend}] scale-out: ${CREATES * 2} creates, ${total} clients on one then two servers`);
      await client.send("POST", "/api/v1/namespaces", ns("scale"));
      const one = await runConcurrent(CREATES * 2, total, (i) => create(client, "scale", `one-${i}`));
      const two = await runConcurrent(CREATES * 2, total, (i) => create(i % 2 ? client : other, "scale", `two-${i}`));
      const rate1 = ((CREATES * 2) / one.seconds).toFixed(0);
      const rate2 = ((CREATES * 2) / two.seconds).toFixed(0);
      const p99 = (r: { latencies: number[] }) => ms(quantile(r.latencies, 0.99));
      rows.push(
        `Scale-out, ${total} clients: one server ${rate1} creates/s (p99 ${p99(one)} ms), ` +
          `two servers on the same database ${rate2} creates/s (p99 ${p99(two)} ms).`,
      );
      other.close();
    }
    rows.push("");

    if (PARTS.has("list")) {
      stderr(`[${backend}] LIST at ${LIST_OBJECTS} objects`);
      await fill(client, "listed", LIST_OBJECTS);
      await client.send("GET", coll("listed")); // the first list of a resource loads the list cache
      await new Promise((r) => setTimeout(r, 1000));
      const lists = await runConcurrent(10, 1, async () => {
        const r = await client.send("GET", coll("listed"));
        if (r.status !== 200) throw new Error(`list failed ${r.status}`);
      });
      const tables = await runConcurrent(10, 1, async () => {
        await client.send("GET", coll("listed"), undefined, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
      });
      const table = ms(quantile(tables.latencies, 0.5));
      rows.push(`LIST of ${LIST_OBJECTS} objects: ${pct(lists.latencies)} (JSON); as Table p50 ${table} ms.`);
    }

    if (MEMORY_OBJECTS > 0 && idle) {
      stderr(`[${backend}] memory at ${MEMORY_OBJECTS} objects`);
      await fill(client, "memory", MEMORY_OBJECTS);
      await new Promise((r) => setTimeout(r, 3000));
      const paged = await runConcurrent(3, 1, async () => {
        let cont = "";
        let items = 0;
        do {
          const next = cont ? `&continue=${encodeURIComponent(cont)}` : "";
          const r = await client.send("GET", `${coll("memory")}?limit=${PAGE}${next}`);
          const body = JSON.parse(r.body) as { metadata: { continue?: string }; items: unknown[] };
          items += body.items.length;
          cont = body.metadata.continue ?? "";
        } while (cont);
        if (items !== MEMORY_OBJECTS) throw new Error(`paginated list returned ${items} objects`);
      });
      const whole = await runConcurrent(2, 1, async () => void (await client.send("GET", coll("memory"))));
      const oneList = ms(quantile(whole.latencies, 0.5));
      const stored = MEMORY_OBJECTS + LIST_OBJECTS;
      const loaded = server.rssMiB();
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      const settled = server.rssMiB();
      const mib = (n: number) => `${n.toFixed(0)} MiB`;
      rows.push(
        `All ${MEMORY_OBJECTS} objects in pages of ${PAGE}: ${pct(paged.latencies)} for all pages; ` +
          `in one LIST p50 ${oneList} ms.`,
        `Server RSS idle ${IDLE_SECONDS} s after start: with controllers ${mib(idle.withControllers.restarted)} ` +
          `(first start, which initializes the store: ${mib(idle.withControllers.first)}); without ` +
          `${mib(idle.without.restarted)} (first start ${mib(idle.without.first)}).`,
        `Server RSS (without controllers) with ${stored} more objects stored and listed: ${mib(loaded)} right ` +
          `after the lists, ${mib(settled)} ${IDLE_SECONDS} s later: ${await memoryBreakdown(client)}.`,
      );
    }
  } finally {
    client.close();
    for (const r of replicas) await r.stop();
    await server.stop();
  }
  return { backend, rows };
}

// etcd is the baseline of the create figures only: a run of other parts skips it.
if (PARTS.has("creates")) stderr("etcd baseline");
const etcdValue = JSON.stringify(envObj("etcd-value", "bench"));
const etcd = PARTS.has("creates") ? await etcdBaseline(CREATES, CONCURRENCIES, etcdValue) : undefined;
const reports: BackendReport[] = [];
for (const b of BACKENDS) reports.push(await benchBackend(b, etcd));
const md = [
  "# Apiserver benchmark",
  "",
  `Run ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}. ` +
    "Command: `npx tsx hack/bench/apiserver.ts`.",
  "Baselines are measured in the same run on the same machine: raw single-row INSERTs on the same database engine,",
  `and ${etcd ? "etcd 3.4 on loopback (v3 JSON gateway, keep-alive HTTP)" : PARTS.has("creates") ? "etcd (not installed: skipped)" : "no etcd (no create figures in this run)"}.`,
  "",
  ...reports.flatMap((r) => [...r.rows, ""]),
].join("\n");
mkdirSync("bench", { recursive: true });
writeFileSync(process.env.BENCH_OUT ?? "bench/apiserver.md", md);
process.stdout.write(md + "\n");
process.exit(0);
