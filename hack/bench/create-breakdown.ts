// Where one create's CPU time goes: an in-process apiserver (no TLS; app.request) on PGlite or
// PostgreSQL, N serial creates under the V8 profiler, each sample charged to the nearest frame
// of a known area (so JSON.parse called by the storage counts as storage). Prints ms per create.
// Run: npx tsx hack/bench/create-breakdown.ts [ROOT] [pglite|postgres]   (ROOT: a checkout, default .)
//   N=300; PostgreSQL from STELLA_BENCH_DATABASE_URL (a scratch database is created).
import { mkdtempSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { areaLines, chargeByArea, type AreaRules } from "./cpu-profile.ts";

const root = resolve(process.argv[2] ?? ".");
const backend = process.argv[3] ?? "pglite";
const N = Number(process.env.N ?? 300);
const PG_BASE = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";

// Areas of a create, by script URL; the first matching frame from the sample upwards wins.
const AREAS: AreaRules = [
  ["SQL (driver + database)", /pglite|wasm:|node_modules\/postgres\/|storage\/(sql-errors|\w+-executor)\.ts/],
  ["storage: encode/decode, event fan-out", /apiserver\/storage\//],
  ["auth (token, RBAC)", /node_modules\/jose\/|apiserver\/(auth\/|security\.ts|http\/role-binding)/],
  ["decoding + validation (zod)", /node_modules\/zod\/|\/crds\/|registry\/request-body|http\/request-body/],
  ["admission, managedFields, store", /apiserver\/registry\//],
  ["HTTP (hono, routing, response)", /\/(hono|@hono)\/|apiserver\/http\/|internal\/(webstreams|deps\/undici)/],
  ["metrics, logging", /prom-client|apiserver\/logging\//],
];

async function databaseUrl(): Promise<string | undefined> {
  if (backend !== "postgres") return undefined;
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS stella_breakdown WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE stella_breakdown`);
  await admin.end();
  const u = new URL(PG_BASE);
  u.pathname = "/stella_breakdown";
  return u.toString();
}

const { ApiServer } = await import(join(root, "apiserver/server.ts"));
const { jsonLogger } = await import(join(root, "apiserver/logging/logger.ts"));
const dataDir = mkdtempSync(join(tmpdir(), "stella-breakdown-"));
const logger = jsonLogger("warn");
const server = await ApiServer.start({ dataDir, databaseUrl: await databaseUrl(), port: 0, listen: false, logger });
const grants = [{ namespace: "*", role: "admin" }];
const token = await server.issuer.issue({ subject: "admin", grants, ttlSeconds: 3600 });
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const post = (path: string, body: unknown) =>
  server.app.request(path, { method: "POST", headers, body: JSON.stringify(body) });
await post("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "b" } });
const env = (name: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace: "b" },
  spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
});
for (let i = 0; i < 50; i++) await post("/apis/release.stella.io/v1alpha1/namespaces/b/environments", env(`warm-${i}`));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const r = await post("/apis/release.stella.io/v1alpha1/namespaces/b/environments", env(`e-${i}`));
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${await r.text()}`);
}
const wall = (performance.now() - t0) / N;
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post("Profiler.stop");
session.disconnect();
await server.stop();
const areas = chargeByArea(profile as never, AREAS);
const cpuPerCreate = ((cpu.user + cpu.system) / 1000 / N).toFixed(2);
const lines = [`${root} on ${backend}: ${N} serial creates in-process (no TLS), ${wall.toFixed(2)} ms wall each,`];
lines.push(`${cpuPerCreate} ms CPU per create; profiled busy time per create by area:`);
lines.push(...areaLines(areas, N));
process.stdout.write(lines.join("\n") + "\n");
process.exit(0);
