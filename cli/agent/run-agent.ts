// `stella agent --server URL --name NAME --bootstrap-token TOKEN --data DIR`: the agent process. The
// composition root hands it the local Docker driver (controllers' docker driver on this host's
// engine) and, when the host has a compose CLI, the compose driver: agent/ may not import controllers.
import { resolve } from "node:path";
import { AgentRuntime, jsonLog, type LocalDrivers } from "../../agent/index.ts";
import { hostAddress } from "../../crds/meta.ts";
import { composeEnv, ComposeDriver, detectComposeCli } from "../../controllers/drivers/compose/index.ts";
import { DockerDriver } from "../../controllers/drivers/docker/index.ts";
import { connectEngine, type Engine } from "../../controllers/engine/index.ts";
import { parseFlags, parseDurationSeconds } from "../args.ts";
import { UsageError } from "../command.ts";

/** The flags of the agent process. */
export const runAgentOptions = {
  server: { type: "string" },
  name: { type: "string" },
  "bootstrap-token": { type: "string" },
  data: { type: "string" },
  socket: { type: "string" },
  "credential-ttl": { type: "string" },
  "compose-command": { type: "string" },
  address: { type: "string" },
} as const;

/**
 * The maker of compose drivers when this host has a compose CLI (`docker compose`, else
 * `docker-compose`, or --compose-command), so the agent reports the compose capability.
 */
async function localCompose(
  engine: Engine,
  socket: string,
  configured: string | undefined,
): Promise<LocalDrivers["compose"]> {
  const command = configured?.split(/\s+/).filter(Boolean);
  try {
    await detectComposeCli(command, composeEnv(process.env, engine.endpoint));
  } catch {
    return undefined;
  }
  return (target, project) => new ComposeDriver(target, { project, socket, command }, engine);
}

/** Runs the agent until SIGINT/SIGTERM; exits 1 when its credential is refused for good. */
export async function runAgent(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, runAgentOptions);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.name) throw new UsageError("--name is required");
  if (!values.data) throw new UsageError("--data is required (the agent keeps its key and credential there)");
  if (values.address !== undefined && !hostAddress.safeParse(values.address).success)
    throw new UsageError(`--address ${values.address}: must be an IP address or a lowercase DNS name, without port`);
  const token = values["bootstrap-token"] ?? process.env.STELLA_BOOTSTRAP_TOKEN;
  const socket = values.socket ?? "/var/run/docker.sock";
  const noSecrets = { secretValue: async () => Promise.reject(new Error("the local engine needs no secrets")) };
  const engine = await connectEngine({ socket }, noSecrets);
  const docker = new DockerDriver(engine);
  const log = jsonLog(values.name);
  const compose = await localCompose(engine, socket, values["compose-command"]);
  if (!compose) log.info("no compose CLI on this host: runtime compose targets cannot use this agent");
  const agent = await AgentRuntime.start({
    server: values.server,
    name: values.name,
    bootstrapToken: token,
    dataDir: resolve(values.data),
    address: values.address,
    drivers: compose ? { docker, compose } : { docker },
    log,
    credentialTtlSeconds: values["credential-ttl"]
      ? parseDurationSeconds(values["credential-ttl"], "credential-ttl")
      : undefined,
  });
  const stop = () => void agent.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await agent.done;
    return 0;
  } catch (err) {
    log.error("agent stopped", { error: err instanceof Error ? err.message : String(err) });
    return 1;
  } finally {
    await docker.close();
  }
}
