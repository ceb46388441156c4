// Heartbeats: the agent renews its Lease (`agent-<name>`, renewTime) every interval, so the
// server-side agent controller can tell a live agent from a lost one without the agent writing its
// Agent object on every beat. The Lease says how long to wait: MISSED_HEARTBEATS_LIMIT intervals.
import { agentLeaseName, MISSED_HEARTBEATS_LIMIT } from "../crds/agent.ts";
import { isNotFound } from "../crds/errors.ts";
import { leaseKind, type Lease } from "../crds/lease.ts";
import type { Client } from "../sdk/client.ts";

/** Renews the agent's Lease once; creates it on the first beat. */
export async function heartbeat(client: Client, namespace: string, agent: string, intervalMs: number): Promise<void> {
  const leases = client.resource<Lease>(leaseKind);
  const name = agentLeaseName(agent);
  const now = new Date().toISOString();
  const leaseDurationSeconds = Math.max(1, Math.ceil((MISSED_HEARTBEATS_LIMIT * intervalMs) / 1000));
  try {
    await leases.patch(
      name,
      { spec: { holderIdentity: agent, renewTime: now, leaseDurationSeconds } },
      { namespace, type: "merge" },
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await leases.create(
      {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Lease",
        metadata: { name, namespace },
        spec: { holderIdentity: agent, acquireTime: now, renewTime: now, leaseDurationSeconds },
      } as Lease,
      { fieldManager: "stella-agent" },
    );
  }
}
