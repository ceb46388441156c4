// The agent suites' world: a real apiserver over HTTPS (test/env.ts), optionally the controllers
// in this process, a namespace of their own, and real agent processes (`stella agent`, spawned
// with tsx) that a test may SIGKILL and start again. Containers carry the namespace in their
// labels; stop() removes them. Host ports 27400-27599.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startControllers, type RunningControllers } from "../../controllers/index.ts";
import type { Logger } from "../../controllers/runtime/index.ts";
import { agentKind, type Agent } from "../../crds/agent.ts";
import { Client, loadClientConfig, type ClientConfig } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { removeContainers } from "../deploy/deploy-env.ts";

/** Host ports the agent suites' deployments use. */
export const AGENT_TEST_PORTS = { from: 27400, to: 27599 };

/** One agent process. */
export interface AgentProcess {
  child: ChildProcess;
  dataDir: string;
  /** Its stderr lines so far. */
  lines: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** The running world of an agent suite. */
export interface AgentEnv {
  env: TestEnv;
  config: ClientConfig;
  admin: Client;
  namespace: string;
  controllers?: RunningControllers;
  logs: string[];
  createAgent(name: string, spec?: Agent["spec"]): Promise<Agent>;
  /** Asks for a bootstrap token as the admin, over HTTPS. */
  bootstrap(name: string, ttlSeconds?: number): Promise<string>;
  /** Starts `stella agent` (the token is passed through $STELLA_BOOTSTRAP_TOKEN when given). */
  startAgent(name: string, opts: { token?: string; dataDir?: string }): Promise<AgentProcess>;
  /** A client holding the credential an agent stored in its data directory. */
  agentClient(dataDir: string): Promise<Client>;
  stop(): Promise<void>;
}

const CLI = new URL("../../cli/main.ts", import.meta.url).pathname;

/** Starts the apiserver, a namespace and (with `controllers`) the controllers. */
export async function startAgentEnv(opts: { controllers?: boolean } = {}): Promise<AgentEnv> {
  const env = await startEnv({ listen: true });
  const namespace = `agt-${randomBytes(4).toString("hex")}`;
  await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  const config = await loadClientConfig({ path: env.server.kubeconfigPath });
  const admin = Client.fromConfig({ ...config, namespace });
  const logs: string[] = [];
  const log: Logger = {
    info: (msg, fields) => logs.push(JSON.stringify({ level: "info", msg, ...fields })),
    error: (msg, fields) => logs.push(JSON.stringify({ level: "error", msg, ...fields })),
  };
  let controllerClient: Client | undefined;
  let controllers: RunningControllers | undefined;
  if (opts.controllers) {
    controllerClient = Client.fromConfig({
      ...config,
      token: await env.token("stella-controllers", "controller", "*"),
    });
    controllers = await startControllers({
      client: controllerClient,
      log,
      target: { probeInterval: 1000 },
      deployment: { ports: AGENT_TEST_PORTS },
    });
  }
  const processes: AgentProcess[] = [];
  return {
    env,
    config,
    admin,
    namespace,
    controllers,
    logs,
    createAgent: (name, spec = { heartbeatInterval: "1s" }) =>
      admin.resource<Agent>(agentKind).create({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Agent",
        metadata: { name, namespace },
        spec,
      } as Agent),
    async bootstrap(name, ttlSeconds) {
      const answer = await admin.transport.request<{ token: string }>({
        method: "POST",
        path: `/agent-enrollment/v1/namespaces/${namespace}/agents/${name}/bootstrap`,
        body: ttlSeconds ? { ttlSeconds } : {},
      });
      return answer.token;
    },
    async startAgent(name, opts) {
      const proc = await spawnAgent(config.server, name, opts);
      processes.push(proc);
      return proc;
    },
    async agentClient(dataDir) {
      const stored = JSON.parse(await readFile(join(dataDir, "credential.json"), "utf8")) as {
        token: string;
        caCertPem: string;
      };
      return Client.fromConfig({ server: config.server, caCertPem: stored.caCertPem, token: stored.token, namespace });
    },
    async stop() {
      for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
      await Promise.all(processes.map((p) => p.exited));
      await controllers?.stop();
      controllerClient?.close();
      admin.close();
      await env.stop();
      await removeContainers(namespace);
    },
  };
}

/**
 * Spawns `stella agent --server SERVER --name NAME --data DIR` (a fresh temporary DIR unless given);
 * the token goes through $STELLA_BOOTSTRAP_TOKEN when given. The caller kills it.
 */
export async function spawnAgent(
  server: string,
  name: string,
  { token, dataDir }: { token?: string; dataDir?: string },
): Promise<AgentProcess> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "stella-agent-")));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", CLI, "agent", "--server", server, "--name", name, "--data", dir],
    {
      env: { ...process.env, ...(token ? { STELLA_BOOTSTRAP_TOKEN: token } : {}) },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const lines: string[] = [];
  let rest = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => {
    const all = rest + d;
    const parts = all.split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
    if (process.env.STELLA_TEST_LOG) for (const p of parts) process.stderr.write(`[agent ${name}] ${p}\n`);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, dataDir: dir, lines, exited };
}

/** Resolves once `check` returns a value other than undefined/false, polling; rejects when the process exits first. */
export async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  proc?: AgentProcess,
): Promise<T> {
  let exited = false;
  void proc?.exited.then(() => (exited = true));
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (exited) throw new Error(`agent exited while waiting for ${what}:\n${proc!.lines.slice(-10).join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether an agent process logged a line with this `msg`. */
export const logged = (proc: AgentProcess, msg: string) => proc.lines.some((l) => l.includes(`"msg":"${msg}"`));
