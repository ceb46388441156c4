// An agent's health from its Lease: Ready while the last heartbeat is within the Lease's duration
// (MISSED_HEARTBEATS_LIMIT heartbeat intervals, as the agent writes it), NotReady with a reason
// once it is not. Pure, so the rule is tested without a clock.
import {
  AgentConditions,
  AgentReadyReasons,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  MISSED_HEARTBEATS_LIMIT,
  type Agent,
} from "../../crds/agent.ts";
import { durationMillis } from "../../crds/duration.ts";
import type { Lease } from "../../crds/lease.ts";
import { findCondition, setCondition } from "../runtime/index.ts";

/** The status the agent should have now, and when to look again (the heartbeat deadline). */
export interface AgentHealth {
  status: NonNullable<Agent["status"]>;
  /** ms until the Ready condition would change without another event. */
  recheckIn?: number;
}

/** How long after its last heartbeat an agent counts as gone, ms. */
export function heartbeatDeadlineMs(agent: Agent, lease: Lease | undefined): number {
  if (lease?.spec.leaseDurationSeconds) return lease.spec.leaseDurationSeconds * 1000;
  const interval = durationMillis(agent.spec.heartbeatInterval ?? "") ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  return MISSED_HEARTBEATS_LIMIT * interval;
}

/** Computes Agent.status from the Agent, its Lease and the Targets naming it, at `nowMs`. */
export function agentHealth(
  agent: Agent,
  lease: Lease | undefined,
  targets: readonly string[],
  nowMs: number,
): AgentHealth {
  const old = agent.status ?? {};
  const now = new Date(nowMs).toISOString();
  const renew = lease?.spec.renewTime ? Date.parse(lease.spec.renewTime) : undefined;
  const deadline = heartbeatDeadlineMs(agent, lease);
  let ready: { status: "True" | "False"; reason: string; message: string };
  let recheckIn: number | undefined;
  if (agent.spec.revoked) {
    ready = {
      status: "False",
      reason: AgentReadyReasons.Revoked,
      message: "the agent is revoked: its credential no longer works",
    };
  } else if (renew === undefined) {
    ready = { status: "False", reason: AgentReadyReasons.NeverConnected, message: "no heartbeat received yet" };
  } else if (nowMs - renew > deadline) {
    const missed = Math.floor((nowMs - renew) / (deadline / MISSED_HEARTBEATS_LIMIT));
    ready = {
      status: "False",
      reason: AgentReadyReasons.HeartbeatMissed,
      message: `no heartbeat since ${new Date(renew).toISOString()} (${missed} heartbeats missed; the limit is ${MISSED_HEARTBEATS_LIMIT})`,
    };
  } else {
    ready = { status: "True", reason: AgentReadyReasons.Heartbeating, message: "the agent heartbeats on time" };
    recheckIn = renew + deadline - nowMs + 1;
  }
  const phase = agent.spec.revoked
    ? "Revoked"
    : ready.status === "True"
      ? "Connected"
      : renew === undefined
        ? "Pending"
        : "Disconnected";
  const conditions = setCondition(
    old.conditions,
    { type: AgentConditions.Ready, ...ready, observedGeneration: agent.metadata.generation },
    now,
  );
  const lastHeartbeatTime = renew === undefined ? old.lastHeartbeatTime : new Date(renew).toISOString();
  return {
    status: {
      ...old,
      phase,
      conditions,
      lastHeartbeatTime,
      targets: [...targets].sort(),
      observedGeneration: agent.metadata.generation,
    },
    recheckIn,
  };
}

/**
 * Whether `next` must be written over `old`: a change of Ready, phase or targets always; a newer
 * heartbeat time only once the stored one is a third of the deadline old (so a heartbeat costs
 * the server one Lease write, not two).
 */
export function needsWrite(old: Agent["status"], next: NonNullable<Agent["status"]>, deadlineMs: number): boolean {
  const was = findCondition(old?.conditions, AgentConditions.Ready);
  const is = findCondition(next.conditions, AgentConditions.Ready);
  if (was?.status !== is?.status || was?.reason !== is?.reason || old?.phase !== next.phase) return true;
  if (JSON.stringify(old?.targets ?? []) !== JSON.stringify(next.targets ?? [])) return true;
  if (old?.observedGeneration !== next.observedGeneration) return true;
  if (!next.lastHeartbeatTime) return false;
  const stored = old?.lastHeartbeatTime ? Date.parse(old.lastHeartbeatTime) : 0;
  return Date.parse(next.lastHeartbeatTime) - stored >= deadlineMs / 3;
}
