// Server load of 100 agents heartbeating, added to bench/deploy.md (its own section, replaced on
// every run). One `stella server` (controllers included) per backend; BENCH_AGENTS (default 100)
// Agents and one agent Target each. Every agent is the real AgentRuntime (hack/bench/agent-fleet.ts,
// BENCH_FLEET_PROCESSES processes, default 2): enrolled with its own one-time bootstrap token,
// heartbeating through its Lease, renewing its credential, watching its AgentWork. Three windows of
// BENCH_SECONDS (default 30) on the same server, in this order:
//   1. no agent running (the same-run baseline),
//   2. every agent heartbeating at the default interval (10 s),
//   3. every agent heartbeating every 1 s (spec.heartbeatInterval patched, the fleet restarted from
//      its data directories: no token the second time),
// each reporting the server's writes/s (storage creates, updates and deletes, from its /metrics),
// its CPU (process user+system time per wall second, from /proc), and p50/p99 of GET one Target and
// LIST the namespace's Targets, each sent at BENCH_PROBE_RATE per second (default 10) throughout.
// Run: npx tsx hack/bench/agent-heartbeats.ts   (BENCH_BACKENDS=pglite,postgres; PostgreSQL from
// hack/estate.sh up, or STELLA_BENCH_DATABASE_URL)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { BenchClient } from "./http-client.ts";
import { runPaced } from "./paced.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";
import { ms, quantile } from "./stats.ts";
import { writeSections } from "./report-sections.ts";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const PROBE_RATE = Number(process.env.BENCH_PROBE_RATE ?? 10);
const FLEETS = Number(process.env.BENCH_FLEET_PROCESSES ?? 2);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "pglite,postgres").split(",").filter(Boolean);
const PG_BASE = process.env.STELLA_BENCH_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/postgres";
const NS = "bench-agents";
const SECTION = "## Server load of agents heartbeating";
const API = `/apis/release.stella.io/v1alpha1/namespaces/${NS}`;
const CLK_TCK = 100;
const stderr = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const agentName = (i: number) => `host-${String(i).padStart(3, "0")}`;

/** What one window measured. */
interface Window {
  label: string;
  writesPerSecond: number;
  /** Write requests per second by resource (create, update, patch, delete). */
  writeRequests: Record<string, number>;
  cpu: number;
  /** The machine's 1-minute load average at the window's end (other engineers' runs included). */
  load: number;
  get: number[];
  list: number[];
}

/** Sums the samples of a metric whose labels match `labels` (a substring of the label set). */
function metricSum(text: string, name: string, labels: RegExp): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{")) continue;
    const end = line.indexOf("}");
    if (labels.test(line.slice(name.length, end + 1))) sum += Number(line.slice(end + 1).trim());
  }
  return sum;
}

/** Write requests by resource, counted from the exposition text. */
function writeRequests(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = /^stella_apiserver_requests_total\{verb="(create|update|patch|delete)",resource="([^"]+)"[^}]*\} (\S+)$/gm;
  for (const m of text.matchAll(re)) out[m[2]] = (out[m[2]] ?? 0) + Number(m[3]);
  return out;
}

/** CPU seconds (user + system) the process has used. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function ok(client: BenchClient, method: string, path: string, body?: unknown): Promise<string> {
  const r = await client.send(
    method,
    path,
    body,
    method === "PATCH" ? { "content-type": "application/merge-patch+json" } : {},
  );
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
  return r.body;
}

async function measure(server: ServerProcess, client: BenchClient, label: string): Promise<Window> {
  const counts = async () => {
    const text = await ok(client, "GET", "/metrics");
    return {
      writes: metricSum(text, "stella_storage_operation_duration_seconds_count", /operation="(create|update|delete)"/),
      requests: writeRequests(text),
    };
  };
  const before = await counts();
  const cpu0 = cpuSeconds(server.child.pid!);
  const t0 = performance.now();
  const n = SECONDS * PROBE_RATE;
  const [get, list] = await Promise.all([
    runPaced(n, PROBE_RATE, async (i) => void (await ok(client, "GET", `${API}/targets/${agentName(i % AGENTS)}`))),
    runPaced(n, PROBE_RATE, async () => void (await ok(client, "GET", `${API}/targets`))),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (cpuSeconds(server.child.pid!) - cpu0) / seconds;
  const after = await counts();
  // The window's own reads are not writes; /metrics scrapes are two GETs.
  const w: Window = {
    label,
    writesPerSecond: (after.writes - before.writes) / seconds,
    writeRequests: Object.fromEntries(
      Object.entries(after.requests)
        .map(([k, v]) => [k, (v - (before.requests[k] ?? 0)) / seconds] as const)
        .filter(([, v]) => v >= 0.05),
    ),
    cpu,
    load: loadavg()[0],
    get: get.latencies,
    list: list.latencies,
  };
  stderr(
    `  ${label}: ${w.writesPerSecond.toFixed(1)} writes/s, CPU ${(cpu * 100).toFixed(0)}%, GET p99 ${ms(quantile(w.get, 0.99))} ms, LIST p99 ${ms(quantile(w.list, 0.99))} ms`,
  );
  return w;
}

/** Starts the fleet processes; resolves once every agent in them has started. */
async function startFleets(server: string, agents: Array<{ name: string; dataDir: string; token?: string }>) {
  const children: ChildProcess[] = [];
  const per = Math.ceil(agents.length / FLEETS);
  const started = Promise.all(
    Array.from({ length: FLEETS }, (_, f) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", new URL("./agent-fleet.ts", import.meta.url).pathname],
        {
          stdio: ["pipe", "pipe", "inherit"],
        },
      );
      children.push(child);
      child.stdin!.end(JSON.stringify({ server, agents: agents.slice(f * per, (f + 1) * per) }));
      return new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => d.toString().includes("started") && resolve());
        child.once("exit", (code) => reject(new Error(`agent fleet exited with ${code}`)));
      });
    }),
  );
  await started.catch((err: unknown) => {
    for (const c of children) c.kill("SIGKILL");
    throw err;
  });
  return {
    async stop() {
      await Promise.all(
        children.map((c) => {
          const exited = new Promise((r) => c.once("exit", r));
          c.kill("SIGTERM");
          return exited;
        }),
      );
    },
  };
}

/** Resolves once every Agent is Ready and its Lease says `leaseSeconds`; returns the seconds it took. */
async function allReady(client: BenchClient, leaseSeconds: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const agents = JSON.parse(await ok(client, "GET", `${API}/agents`)) as {
      items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
    };
    const leases = JSON.parse(await ok(client, "GET", `${API}/leases`)) as {
      items: Array<{ spec: { leaseDurationSeconds?: number } }>;
    };
    const ready = agents.items.filter((a) =>
      a.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );
    const fresh = leases.items.filter((l) => l.spec.leaseDurationSeconds === leaseSeconds);
    if (ready.length === AGENTS && fresh.length === AGENTS) return (performance.now() - t0) / 1000;
    await sleep(250);
  }
}

async function freshDatabase(name: string): Promise<string> {
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

interface BackendResult {
  backend: string;
  enrollSeconds: number;
  windows: Window[];
}

async function runBackend(backend: string, port: number): Promise<BackendResult> {
  stderr(`${backend}:`);
  const databaseUrl = backend === "postgres" ? await freshDatabase("stella_bench_agents") : undefined;
  const server = await startServerProcess(port, databaseUrl);
  const client = new BenchClient(server.url, server.ca, server.token);
  const dataRoot = mkdtempSync(join(tmpdir(), "stella-bench-agents-"));
  try {
    await ok(client, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    for (let i = 0; i < AGENTS; i++) {
      const name = agentName(i);
      await ok(client, "POST", `${API}/agents`, {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Agent",
        metadata: { name, namespace: NS },
        spec: {},
      });
      await ok(client, "POST", `${API}/targets`, {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Target",
        metadata: { name, namespace: NS },
        spec: { driver: "agent", agent: { name } },
      });
    }
    await sleep(5_000); // the controllers' first pass over the new objects settles
    const windows = [await measure(server, client, "no agent running (baseline)")];
    const agents = [];
    for (let i = 0; i < AGENTS; i++) {
      const name = agentName(i);
      const body = JSON.parse(
        await ok(client, "POST", `/agent-enrollment/v1/namespaces/${NS}/agents/${name}/bootstrap`, {}),
      ) as { token: string };
      agents.push({ name, dataDir: join(dataRoot, name), token: body.token });
    }
    const t0 = performance.now();
    let fleet = await startFleets(server.url, agents);
    await allReady(client, 30);
    const enrollSeconds = (performance.now() - t0) / 1000;
    stderr(`  ${AGENTS} agents enrolled and Ready in ${enrollSeconds.toFixed(1)} s`);
    await sleep(3_000);
    windows.push(await measure(server, client, `${AGENTS} agents, heartbeat every 10 s (default)`));
    await fleet.stop();
    for (const a of agents) await ok(client, "PATCH", `${API}/agents/${a.name}`, { spec: { heartbeatInterval: "1s" } });
    fleet = await startFleets(
      server.url,
      agents.map(({ name, dataDir }) => ({ name, dataDir })),
    );
    await allReady(client, 3);
    await sleep(3_000);
    windows.push(await measure(server, client, `${AGENTS} agents, heartbeat every 1 s`));
    await fleet.stop();
    return { backend, enrollSeconds, windows };
  } finally {
    client.close();
    await server.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  }
}

const results: BackendResult[] = [];
for (const [i, backend] of BACKENDS.entries()) results.push(await runBackend(backend, 26_700 + i));

const byResource = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ") || "none";
const p = (xs: number[], q: number) => ms(quantile(xs, q));
const lines = [
  `${SECTION} (${AGENTS} agents)`,
  "",
  `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.split(" ").slice(0, 2).join(" ")} shared with other engineers' test runs. ` +
    "Rerun: `npx tsx hack/bench/agent-heartbeats.ts` (BENCH_AGENTS, BENCH_SECONDS, BENCH_PROBE_RATE, BENCH_FLEET_PROCESSES, BENCH_BACKENDS).",
  "",
  `One \`stella server\` with its controllers; ${AGENTS} Agents with one agent Target each. Every agent is the real agent runtime ` +
    `(${FLEETS} processes of ${Math.ceil(AGENTS / FLEETS)}), enrolled with its own one-time bootstrap token, heartbeating through its Lease and watching its work. ` +
    `Each window is ${SECONDS} s on the same server, in the order shown; the first, with no agent running, is the baseline. ` +
    `Writes: the server's storage creates, updates and deletes per second (its /metrics); write requests: the API's create/update/patch/delete requests per second by resource (the heartbeats are the leases). ` +
    `CPU: the server process's user+system time per wall second (100% = one core); with the machine's load average far above its cores, that is what the server was given, not what it asked for, and latencies include waiting for a core. GET (one Target) and LIST (all ${AGENTS} Targets) ` +
    `are sent ${PROBE_RATE}/s each throughout the window.`,
  "",
];
for (const r of results) {
  lines.push(
    `### ${r.backend === "postgres" ? "PostgreSQL" : "PGlite"}: ${AGENTS} agents enrolled and Ready in ${r.enrollSeconds.toFixed(1)} s`,
    "",
    "| | storage writes/s | write requests/s by resource | server CPU | machine load (1 min) | GET p50 / p99 ms | LIST p50 / p99 ms |",
    "|---|---|---|---|---|---|---|",
  );
  for (const w of r.windows)
    lines.push(
      `| ${w.label} | ${w.writesPerSecond.toFixed(1)} | ${byResource(w.writeRequests)} | ${(w.cpu * 100).toFixed(0)}% | ${w.load.toFixed(1)} | ${p(w.get, 0.5)} / ${p(w.get, 0.99)} | ${p(w.list, 0.5)} / ${p(w.list, 0.99)} |`,
    );
  lines.push("");
}
writeSections(
  new URL("../../bench/deploy.md", import.meta.url).pathname,
  [SECTION],
  lines.join("\n"),
  "# Deployment benchmark",
);
stderr(`written to bench/deploy.md`);
