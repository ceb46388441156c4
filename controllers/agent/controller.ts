// Wiring the agent reconciler: Agents are the requests; a Lease `agent-<name>` wakes its Agent (each
// heartbeat), and a Target wakes the Agent its spec.agent.name names (the TARGETS column).
import { agentKind, type Agent } from "../../crds/agent.ts";
import { leaseKind, type Lease } from "../../crds/lease.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import type { Controller, Logger, Manager, WatchSpec } from "../runtime/index.ts";
import { stderrLogger } from "../runtime/index.ts";
import { AgentReconciler } from "./reconciler.ts";

/** Options of the agent controller. */
export interface AgentControllerOptions {
  namespace?: string;
  log?: Logger;
}

const LEASE_PREFIX = "agent-";

/** Adds the agent controller to `mgr`. */
export function addAgentController(mgr: Manager, opts: AgentControllerOptions = {}): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const agents = mgr.informer<Agent>(agentKind, scope).cache;
  const leases = mgr.informer<Lease>(leaseKind, scope).cache;
  const targets = mgr.informer<Target>(targetKind, scope).cache;
  const reconciler = new AgentReconciler({
    agent: (ns, name) => agents.getByName(ns, name),
    lease: (ns, name) => leases.getByName(ns, name),
    targetsOf: (ns, agent) =>
      targets
        .list()
        .filter((t) => t.metadata.namespace === ns && t.spec.agent?.name === agent)
        .map((t) => t.metadata.name!),
    agents: mgr.client.resource<Agent>(agentKind),
    log: opts.log ?? stderrLogger,
  });
  const leaseWatch: WatchSpec<Lease> = {
    kind: leaseKind,
    map: (l) =>
      l.metadata.name?.startsWith(LEASE_PREFIX)
        ? [{ namespace: l.metadata.namespace ?? "", name: l.metadata.name.slice(LEASE_PREFIX.length) }]
        : [],
  };
  const targetWatch: WatchSpec<Target> = {
    kind: targetKind,
    map: (t) => (t.spec.agent ? [{ namespace: t.metadata.namespace ?? "", name: t.spec.agent.name }] : []),
  };
  return mgr.addController({
    name: "agent",
    for: agentKind,
    watches: [leaseWatch as WatchSpec, targetWatch as WatchSpec],
    reconciler,
    concurrency: 2,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
