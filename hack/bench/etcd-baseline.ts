// The etcd baseline: a throwaway etcd (Debian etcd-server) on loopback, written through its v3
// JSON gateway with keep-alive HTTP, serially and with several clients. Skipped when etcd is absent.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConcurrent } from "./stats.ts";

/** Puts per second and per-put latencies (ms), per concurrency. */
export type EtcdResult = Record<number, { perSecond: number; latencies: number[] }>;

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Runs the baseline, or returns undefined when no etcd binary is installed. */
export async function etcdBaseline(n: number, concurrencies: number[], value: string): Promise<EtcdResult | undefined> {
  if (spawnSync("etcd", ["--version"]).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "stella-bench-etcd-"));
  const port = 23790 + Math.floor(Math.random() * 100);
  const client = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${port + 1000}`;
  const args = ["--data-dir", dir, "--listen-client-urls", client, "--advertise-client-urls", client];
  args.push("--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", `default=${peer}`);
  const child = spawn("etcd", [...args, "--log-level", "error"], { stdio: "ignore" });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const put = (key: string) =>
    new Promise<void>((resolve, reject) => {
      const headers = { "content-type": "application/json" };
      const req = request(`${client}/v3/kv/put`, { method: "POST", agent, headers }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`etcd put: ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(JSON.stringify({ key: b64(key), value: b64(value) }));
    });
  try {
    for (let i = 0; ; i++) {
      try {
        await put("/ready");
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const out: EtcdResult = {};
    for (const c of concurrencies) {
      const r = await runConcurrent(n, c, (i) => put(`/registry/environments/c${c}/e-${i}`));
      out[c] = { perSecond: n / r.seconds, latencies: r.latencies };
    }
    return out;
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}
