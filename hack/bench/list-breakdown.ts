// Where one LIST's time goes: an in-process apiserver (no TLS; app.request) on PGlite or
// PostgreSQL holding N objects of one kind, M unfiltered lists under the V8 profiler, each sample
// charged to the nearest frame of a known area. Prints ms per list.
// Run: npx tsx hack/bench/list-breakdown.ts [ROOT] [pglite|postgres]   (ROOT: a checkout, default .)
//   N=10000 M=10; PostgreSQL from STELLA_BENCH_DATABASE_URL (a scratch database is created).
import { mkdtempSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { areaLines, chargeByArea, summarizeProfile, type AreaRules } from "./cpu-profile.ts";
import { runConcurrent } from "./stats.ts";

const root = resolve(process.argv[2] ?? ".");
const backend = process.argv[3] ?? "pglite";
const N = Number(process.env.N ?? 10_000);
const M = Number(process.env.M ?? 10);
const PG_BASE = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";

const AREAS: AreaRules = [
  ["SQL (driver + database)", /pglite|wasm:|node_modules\/postgres\/|storage\/(sql-errors|\w+-executor)\.ts/],
  ["list cache", /apiserver\/storage\/list-cache/],
  ["storage: other", /apiserver\/storage\//],
  [
    "auth (token, RBAC)",
    /node_modules\/jose\/|apiserver\/(auth\/|security\.ts|http\/role-binding|http\/content-access)/,
  ],
  ["store (decode, filter)", /apiserver\/registry\//],
  ["response (hono, body)", /\/(hono|@hono)\/|apiserver\/http\/|internal\/(webstreams|deps\/undici)/],
];

async function databaseUrl(): Promise<string | undefined> {
  if (backend !== "postgres") return undefined;
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS stella_list_breakdown WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE stella_list_breakdown`);
  await admin.end();
  const u = new URL(PG_BASE);
  u.pathname = "/stella_list_breakdown";
  return u.toString();
}

const { ApiServer } = await import(join(root, "apiserver/server.ts"));
const { jsonLogger } = await import(join(root, "apiserver/logging/logger.ts"));
const dataDir = mkdtempSync(join(tmpdir(), "stella-list-breakdown-"));
const logger = jsonLogger("warn");
const server = await ApiServer.start({ dataDir, databaseUrl: await databaseUrl(), port: 0, listen: false, logger });
const grants = [{ namespace: "*", role: "admin" }];
const token = await server.issuer.issue({ subject: "admin", grants, ttlSeconds: 3600 });
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const send = (method: string, path: string, body?: unknown) =>
  server.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
const coll = "/apis/release.stella.io/v1alpha1/namespaces/b/environments";
await send("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "b" } });
await runConcurrent(N, 16, async (i) => {
  const name = `e-${i}`;
  const spec = { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } };
  const r = await send("POST", coll, {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name, namespace: "b" },
    spec,
  });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${await r.text()}`);
});
const list = async () => {
  const r = await send("GET", coll);
  const text = await r.text();
  if (r.status !== 200 || text.length < N * 100) throw new Error(`list failed: ${r.status}`);
  return text.length;
};
const bytes = await list(); // loads the list cache
await new Promise((r) => setTimeout(r, 500));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
const cpu0 = process.cpuUsage();
const walls: number[] = [];
for (let i = 0; i < M; i++) {
  const t0 = performance.now();
  await list();
  walls.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post("Profiler.stop");
session.disconnect();
await server.stop();
walls.sort((a, b) => a - b);
const lines = [
  `${root} on ${backend}: ${M} lists of ${N} objects (${(bytes / 2 ** 20).toFixed(1)} MiB) in-process (no TLS),`,
];
lines.push(
  `p50 ${walls[Math.floor(M / 2)].toFixed(1)} ms wall, ${((cpu.user + cpu.system) / 1000 / M).toFixed(1)} ms CPU per list; profiled time per list by area:`,
);
lines.push(...areaLines(chargeByArea(profile as never, AREAS), M));
if (process.env.TOP) lines.push("", summarizeProfile(profile as never, Number(process.env.TOP)));
process.stdout.write(lines.join("\n") + "\n");
process.exit(0);
