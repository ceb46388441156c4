// Starts `stella server` as a child process for benchmarks, so its memory can be measured
// apart from the load generator.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

/** A running server process and how to talk to it. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  ca: string;
  token: string;
  dataDir: string;
  /** Resident memory of the server process, in MiB. */
  rssMiB(): number;
  /** Stops the server; its data directory is removed unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/**
 * Starts a server on a free-ish port; `databaseUrl` selects PostgreSQL, else PGlite; `reuseDataDir`
 * restarts on the data directory of an earlier server (stopped with keepData), else a new one.
 */
export async function startServerProcess(
  port: number,
  databaseUrl?: string,
  extra: string[] = [],
  nodeArgs: string[] = [],
  reuseDataDir?: string,
): Promise<ServerProcess> {
  const dataDir = reuseDataDir ?? mkdtempSync(join(tmpdir(), "stella-bench-"));
  // A restart writes the kubeconfig again (its port is new): wait for that one, not the old.
  rmSync(join(dataDir, "admin.kubeconfig"), { force: true });
  const args = ["bin/stella.js", "server", "--data", dataDir, "--port", String(port), "--log-level", "warn", ...extra];
  if (databaseUrl) args.push("--database-url", databaseUrl);
  const child = spawn(process.execPath, ["--max-old-space-size=8192", ...nodeArgs, ...args], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const kubeconfig = join(dataDir, "admin.kubeconfig");
  const deadline = Date.now() + 120_000;
  while (!existsSync(kubeconfig)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 200));
  const cfg = parse(readFileSync(kubeconfig, "utf8"));
  const ca = Buffer.from(cfg.clusters[0].cluster["certificate-authority-data"], "base64").toString();
  return {
    child,
    url: cfg.clusters[0].cluster.server,
    ca,
    token: cfg.users[0].user.token,
    dataDir,
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async stop(keepData = false) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
