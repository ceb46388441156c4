// A fleet of agents in one process for hack/bench/agent-heartbeats.ts: every agent is the real
// AgentRuntime (enrollment with its own bootstrap token or resumption from its data directory,
// credential renewal, Lease heartbeats, its AgentWork watch), all sharing one local Docker driver.
// Input on stdin: {"server": URL, "agents": [{"name", "dataDir", "token"?}]}. Prints "started N"
// on stdout once every agent has started; stops them all on SIGTERM.
import { AgentRuntime, type AgentLog } from "../../agent/index.ts";
import { DockerDriver } from "../../controllers/drivers/docker/index.ts";
import { connectEngine } from "../../controllers/engine/index.ts";

interface FleetInput {
  server: string;
  agents: Array<{ name: string; dataDir: string; token?: string }>;
}

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as FleetInput;
const noSecrets = { secretValue: async () => Promise.reject(new Error("the local engine needs no secrets")) };
const docker = new DockerDriver(await connectEngine({ socket: "/var/run/docker.sock" }, noSecrets));
// Only warnings and errors reach the bench's stderr: 100 agents' info lines would be the load.
const quiet = (name: string): AgentLog => ({
  info: () => undefined,
  warn: (msg, f) => process.stderr.write(`[${name}] warn ${msg} ${JSON.stringify(f ?? {})}\n`),
  error: (msg, f) => process.stderr.write(`[${name}] error ${msg} ${JSON.stringify(f ?? {})}\n`),
});
const runtimes: AgentRuntime[] = [];
/** Starts one agent; a start that could not reach the server is tried again, as a supervisor would. */
async function start(a: FleetInput["agents"][number]): Promise<AgentRuntime> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await AgentRuntime.start({
        server: input.server,
        name: a.name,
        bootstrapToken: a.token,
        dataDir: a.dataDir,
        drivers: { docker },
        log: quiet(a.name),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= 5 || !/cannot reach|timed out|reset/.test(message)) throw err;
      process.stderr.write(`[${a.name}] start failed (${message}); again in 2 s\n`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}
// Enroll a few at a time, as hosts coming up would; the server sees every enrollment separately.
const queue = [...input.agents];
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let a = queue.shift(); a; a = queue.shift()) runtimes.push(await start(a));
  }),
);
process.stdout.write(`started ${runtimes.length}\n`);
process.once("SIGTERM", () => {
  void Promise.all(runtimes.map((r) => r.stop()))
    .then(() => docker.close())
    .then(() => process.exit(0));
});
