// Profiles the apiserver under create load: starts `stella server` with --cpu-prof, sends serial
// and concurrent creates, stops it and prints where the CPU time went (by area and by function).
// Run: npx tsx hack/bench/profile-create.ts [pglite|postgres]   (BENCH_CREATES, BENCH_CONCURRENCY)
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchClient } from "./http-client.ts";
import { startServerProcess } from "./server-process.ts";
import { ms, quantile, runConcurrent } from "./stats.ts";
import { summarizeProfile } from "./cpu-profile.ts";

const backend = process.argv[2] ?? "pglite";
const CREATES = Number(process.env.BENCH_CREATES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PG_URL = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";

const profDir = mkdtempSync(join(tmpdir(), "stella-prof-"));
const url = backend === "postgres" ? await freshDatabase("stella_profile") : undefined;
const extra = process.env.BENCH_CONTROLLERS === "1" ? [] : ["--no-controllers"];
const server = await startServerProcess(0, url, extra, ["--cpu-prof", `--cpu-prof-dir=${profDir}`]);
const client = new BenchClient(server.url, server.ca, server.token);
const coll = `/apis/release.stella.io/v1alpha1/namespaces/prof/environments`;
const env = (name: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace: "prof" },
  spec: { displayName: name, targetSelector: { matchLabels: { "stella.io/environment": name } } },
});
await client.send("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "prof" } });
for (const [label, c, offset] of [
  ["serial", 1, 0],
  ["concurrent", CONCURRENCY, CREATES],
] as const) {
  const r = await runConcurrent(CREATES, c, async (i) => {
    const res = await client.send("POST", coll, env(`p-${offset + i}`));
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
  });
  const p50 = ms(quantile(r.latencies, 0.5));
  process.stdout.write(`${label} (c=${c}): ${(CREATES / r.seconds).toFixed(0)} creates/s, p50 ${p50} ms\n`);
}
client.close();
await server.stop();
const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile in ${profDir}`);
process.stdout.write(`profile: ${join(profDir, file)}\n`);
process.stdout.write(summarizeProfile(JSON.parse(readFileSync(join(profDir, file), "utf8"))) + "\n");

async function freshDatabase(name: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
