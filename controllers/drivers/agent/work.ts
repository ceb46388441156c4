// The AgentWork objects the agent driver hands an agent: their names, how one is written, and how
// the driver waits for the agent's answer.
import { createHash, randomBytes } from "node:crypto";
import { agentKind, AgentConditions, type Agent } from "../../../crds/agent.ts";
import { agentWorkKind, type AgentWork } from "../../../crds/agent-work.ts";
import { isNotFound } from "../../../crds/errors.ts";
import type { Client } from "../../../sdk/client.ts";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";
import { sleep } from "../../../sdk/backoff.ts";

/** Where a driver's work goes: the target's namespace and name, the agent serving it. */
export interface WorkPlace {
  client: Client;
  namespace: string;
  target: string;
  agent: string;
  /** How the agent runs the target's units (Target.spec.agent.runtime); docker when absent. */
  runtime?: "docker" | "compose";
  /** The compose project (runtime compose). */
  project?: string;
}

const POLL_MS = 200;
/** How often, while waiting for an answer, the driver checks that the agent is still there. */
const AGENT_CHECK_MS = 2_000;

/** The Run work of one slot (namespace, environment, slot) on a target. */
export function runWorkName(target: string, scope: { namespace: string; environment: string; slot: string }): string {
  const digest = createHash("sha256").update(`${scope.namespace}/${scope.environment}/${scope.slot}`).digest("hex");
  return `${target}-${digest.slice(0, 12)}`;
}

/** A fresh name for one Check work. */
export const checkWorkName = (target: string) => `${target}-check-${randomBytes(5).toString("hex")}`;

/** The work object, or undefined when there is none. */
export async function getWork(place: WorkPlace, name: string): Promise<AgentWork | undefined> {
  try {
    return await place.client.resource<AgentWork>(agentWorkKind).get(name, { namespace: place.namespace });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Why the agent cannot take work now, as a DriverError(Unreachable); undefined when it can. */
export async function agentUnavailable(place: WorkPlace): Promise<DriverError | undefined> {
  let agent: Agent;
  try {
    agent = await place.client.resource<Agent>(agentKind).get(place.agent, { namespace: place.namespace });
  } catch (err) {
    if (isNotFound(err))
      return new DriverError(
        DriverReasons.Unreachable,
        `agent ${place.agent} does not exist in ${place.namespace}`,
        true,
      );
    throw err;
  }
  if (agent.spec.revoked) return new DriverError(DriverReasons.Unreachable, `agent ${place.agent} is revoked`, true);
  const ready = agent.status?.conditions?.find((c) => c.type === AgentConditions.Ready);
  if (ready?.status === "True") return missingCapability(place, agent);
  const why = ready ? `${ready.reason}: ${ready.message}` : "it has not connected yet";
  return new DriverError(DriverReasons.Unreachable, `agent ${place.agent} is not ready (${why})`, true);
}

/** InvalidTarget when the target's runtime is not among the capabilities the agent reported. */
function missingCapability(place: WorkPlace, agent: Agent): DriverError | undefined {
  const runtime = place.runtime ?? "docker";
  const capabilities = agent.status?.capabilities;
  if (!capabilities || capabilities.includes(runtime)) return undefined;
  return new DriverError(
    DriverReasons.InvalidTarget,
    `agent ${place.agent} cannot run spec.agent.runtime ${runtime}: it reports capabilities ${capabilities.join(", ") || "none"}` +
      (runtime === "compose" ? " (install docker compose or docker-compose on the host and restart the agent)" : ""),
    false,
  );
}

/**
 * Waits until the agent answered `name` at `generation` (or later) and returns the work as answered.
 * Throws DriverError(Unreachable) when the agent goes NotReady meanwhile, and the signal's reason when aborted.
 */
export async function awaitAnswer(
  place: WorkPlace,
  name: string,
  answered: (w: AgentWork) => boolean,
  signal?: AbortSignal,
): Promise<AgentWork> {
  let lastAgentCheck = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    const work = await getWork(place, name);
    if (!work)
      throw new DriverError(DriverReasons.ApplyFailed, `work ${name} was deleted before the agent answered`, true);
    if (answered(work)) return work;
    if (Date.now() - lastAgentCheck >= AGENT_CHECK_MS) {
      lastAgentCheck = Date.now();
      const unavailable = await agentUnavailable(place);
      if (unavailable) throw unavailable;
    }
    await sleep(POLL_MS, signal);
  }
}

/** Whether the agent reported on the work's current generation. */
export const answeredCurrent = (w: AgentWork) =>
  (w.status?.observedGeneration ?? 0) >= (w.metadata.generation ?? 1) &&
  w.status?.phase !== undefined &&
  w.status.phase !== "Pending";
