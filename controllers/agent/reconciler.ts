// The agent reconciler. Level-triggered: reads the Agent, its Lease and the Targets naming it from
// the informer caches, writes the health of agent.ts's rule through the status subresource, and
// asks to run again when the heartbeat deadline would pass.
import { agentLeaseName, type Agent } from "../../crds/agent.ts";
import { isConflict, isNotFound } from "../../crds/errors.ts";
import type { Lease } from "../../crds/lease.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import type { Logger, Reconciler, Request, Result } from "../runtime/index.ts";
import { findCondition } from "../runtime/index.ts";
import { agentHealth, heartbeatDeadlineMs, needsWrite } from "./health.ts";

/** What the reconciler reads and writes through. */
export interface AgentReconcilerDeps {
  agent(namespace: string, name: string): Agent | undefined;
  lease(namespace: string, name: string): Lease | undefined;
  /** Names of the Targets in `namespace` whose spec.agent.name is `agent`. */
  targetsOf(namespace: string, agent: string): string[];
  agents: Pick<ResourceClient<Agent>, "updateStatus">;
  log: Logger;
}

/** Keeps Agent.status in step with the agent's heartbeats. */
export class AgentReconciler implements Reconciler {
  constructor(private readonly deps: AgentReconcilerDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const agent = this.deps.agent(namespace, name);
    if (!agent || agent.metadata.deletionTimestamp) return;
    const lease = this.deps.lease(namespace, agentLeaseName(name));
    const { status, recheckIn } = agentHealth(agent, lease, this.deps.targetsOf(namespace, name), Date.now());
    if (needsWrite(agent.status, status, heartbeatDeadlineMs(agent, lease))) {
      try {
        await this.deps.agents.updateStatus({ ...agent, status });
      } catch (err) {
        if (isConflict(err)) return { requeueAfter: 100 };
        if (isNotFound(err)) return;
        throw err;
      }
      const was = findCondition(agent.status?.conditions, "Ready");
      const is = findCondition(status.conditions, "Ready")!;
      if (was?.status !== is.status || was?.reason !== is.reason)
        this.deps.log.info(is.status === "True" ? "agent ready" : "agent not ready", {
          agent: `${namespace}/${name}`,
          reason: is.reason,
          message: is.message,
        });
    }
    return recheckIn === undefined ? undefined : { requeueAfter: recheckIn };
  }
}
