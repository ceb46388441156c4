// Profiles the apiserver while it fans writes out to watchers: starts `stella server` with
// --cpu-prof, opens BENCH_WATCHERS watches, sends creates at BENCH_RATE/s for BENCH_SECONDS, prints
// the delivery p50/p99 (create sent -> event line received), then where the server's CPU went.
// Run: npx tsx hack/bench/profile-watch.ts [pglite|postgres]   (BENCH_WATCHERS=100 BENCH_RATE=100)
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { areaLines, chargeByArea, monotonicUs, summarizeProfile, type AreaRules } from "./cpu-profile.ts";
import { BenchClient } from "./http-client.ts";
import { runPaced } from "./paced.ts";
import { startServerProcess } from "./server-process.ts";
import { ms, quantile } from "./stats.ts";

const backend = process.argv[2] ?? "pglite";
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PROFILE = process.env.BENCH_PROFILE !== "0";
const PG_URL = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";

// Areas of a write and its fan-out, by script URL; the first matching frame from the sample upwards wins.
const AREAS: AreaRules = [
  ["SQL (driver + database)", /pglite|wasm:|node_modules\/postgres\/|storage\/(sql-errors|\w+-executor)\.ts/],
  ["watch: hub, subscriptions, ring", /apiserver\/storage\/(watch-|event-ring|write-feed|event-poller)/],
  ["watch: per-watcher filter, encode, enqueue", /apiserver\/http\/watch-stream|registry\/watch-filter/],
  ["response bodies: web streams, node adapter", /internal\/webstreams|@hono\/node-server/],
  [
    "socket writes: HTTP framing, TLS, net",
    /node:(_http_outgoing|_http_server|net|_tls_wrap|tls)|stream_base_commons|internal\/streams/,
  ],
  ["storage: encode/decode, list cache", /apiserver\/storage\//],
  ["auth (token, RBAC)", /node_modules\/jose\/|apiserver\/(auth\/|security\.ts|http\/role-binding)/],
  ["decoding + validation (zod)", /node_modules\/zod\/|\/crds\/|registry\/request-body|http\/request-body/],
  ["admission, managedFields, store, GC", /apiserver\/registry\//],
  ["HTTP (hono, routing, response)", /\/hono\/|apiserver\/http\/|internal\/deps\/undici/],
  ["metrics, logging", /prom-client|apiserver\/logging\//],
];

const profDir = mkdtempSync(join(tmpdir(), "stella-prof-"));
const url = backend === "postgres" ? await freshDatabase("stella_profile_watch") : undefined;
const nodeArgs = PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
const server = await startServerProcess(0, url, ["--no-controllers"], nodeArgs);
const client = new BenchClient(server.url, server.ca, server.token);
const coll = `/apis/release.stella.io/v1alpha1/namespaces/prof/environments`;
const env = (name: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace: "prof" },
  spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
});
await client.send("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "prof" } });

const sent = new Map<string, number>();
const acked = new Map<string, number>();
const delays: number[] = [];
// Event received minus the create's response received (negative: the event came first).
const afterAck: number[] = [];
const early = new Map<string, number[]>();
const marker = '"metadata":{"name":"';
const watches = Array.from({ length: WATCHERS }, () =>
  client.watch(`${coll}?watch=true&allowWatchBookmarks=true&resourceVersion=0`, (line) => {
    const at = line.indexOf(marker);
    if (at < 0 || !line.startsWith('{"type":"ADDED"')) return;
    const name = line.slice(at + marker.length, line.indexOf('"', at + marker.length));
    const t = sent.get(name);
    if (t === undefined) return;
    const now = performance.now();
    delays.push(now - t);
    const a = acked.get(name);
    if (a === undefined) early.set(name, [...(early.get(name) ?? []), now]);
    else afterAck.push(now - a);
  }),
);
await new Promise((r) => setTimeout(r, 1500 + WATCHERS * 10));
const n = RATE * SECONDS;
const fromUs = monotonicUs();
const cpuFrom = cpuMs(server.child.pid!);
const w = await runPaced(n, RATE, async (i) => {
  sent.set(`w-${i}`, performance.now());
  const r = await client.send("POST", coll, env(`w-${i}`));
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
  const now = performance.now();
  acked.set(`w-${i}`, now);
  for (const at of early.get(`w-${i}`) ?? []) afterAck.push(at - now);
});
const deadline = Date.now() + 30_000;
while (delays.length < n * WATCHERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const window = { fromUs, toUs: monotonicUs() };
const cpuPerCreate = (cpuMs(server.child.pid!) - cpuFrom) / n;
for (const x of watches) x.close();
const creates = `${ms(quantile(w.latencies, 0.5))}/${ms(quantile(w.latencies, 0.99))} ms`;
process.stdout.write(
  `${n} creates at ${w.achieved.toFixed(0)}/s (create p50/p99 ${creates}), ${WATCHERS} watchers: ` +
    `${delays.length}/${n * WATCHERS} deliveries, p50 ${ms(quantile(delays, 0.5))} ms, ` +
    `p99 ${ms(quantile(delays, 0.99))} ms; event after the create's response p50 ` +
    `${ms(quantile(afterAck, 0.5))} ms, p99 ${ms(quantile(afterAck, 0.99))} ms\n` +
    `server CPU (user + system, from /proc) per create with its deliveries: ${cpuPerCreate.toFixed(2)} ms\n`,
);
client.close();
await server.stop();
if (PROFILE) {
  // The main thread's profile (thread 0); the others are the loader's workers.
  const file = readdirSync(profDir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort()[0];
  if (!file) throw new Error(`no profile in ${profDir}`);
  process.stdout.write(`profile: ${join(profDir, file)} (the delivery window only)\n`);
  const profile = JSON.parse(readFileSync(join(profDir, file), "utf8"));
  process.stdout.write(`server CPU per create (with its ${WATCHERS} deliveries) by area:\n`);
  process.stdout.write(areaLines(chargeByArea(profile, AREAS, window), n).join("\n") + "\n\n");
  process.stdout.write(summarizeProfile(profile, 40, window) + "\n");
}
process.exit(0);

/** CPU time (user + system) a process has used, ms; unlike profile samples, not inflated by preemption. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function freshDatabase(name: string): Promise<string> {
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
