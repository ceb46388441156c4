// Agent: a Stella process enrolled on a target host. It heartbeats through a Lease, watches its
// own work and runs a local driver; its token lets it act only for the targets it serves.
import { z } from "zod";
import { condition, kindSchema, timestamp } from "./meta.ts";
import { positiveDuration } from "./duration.ts";
import type { KindInfo } from "./scheme-types.ts";

/** Agent.spec: identity and the operator's controls. */
export const agentSpec = z.strictObject({
  displayName: z.string().optional(),
  publicKey: z
    .string()
    .regex(/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/, "must be a PEM public key (SPKI)")
    .optional()
    .meta({ description: "The agent's Ed25519 public key (PEM, SPKI), recorded at enrollment; proves its identity." }),
  heartbeatInterval: positiveDuration
    .optional()
    .meta({ description: "How often the agent renews its Lease; 10s when omitted." }),
  leaseDuration: positiveDuration
    .optional()
    .meta({ description: "How long after the last heartbeat the agent counts as gone; 40s when omitted." }),
  revoked: z
    .boolean()
    .optional()
    .meta({ description: "Revokes the agent: its token stops working and its targets turn NotReady." }),
});
export type AgentSpec = z.infer<typeof agentSpec>;

/** The phases of an agent's life. */
export const AGENT_PHASES = ["Pending", "Connected", "Disconnected", "Revoked"] as const;
export type AgentPhase = (typeof AGENT_PHASES)[number];

/** Condition types of an Agent. */
export const AgentConditions = { Enrolled: "Enrolled", Ready: "Ready" } as const;

/** Reasons of the Ready condition. */
export const AgentReadyReasons = {
  Heartbeating: "Heartbeating",
  HeartbeatMissed: "HeartbeatMissed",
  NeverConnected: "NeverConnected",
  Revoked: "Revoked",
} as const;

/** Heartbeats an agent may miss before it and its targets count as NotReady. */
export const MISSED_HEARTBEATS_LIMIT = 3;
/** Default heartbeat interval (spec.heartbeatInterval), ms. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;

/** The name of the Lease an agent heartbeats through, in its namespace. */
export const agentLeaseName = (agent: string) => `agent-${agent}`;

/** Agent.status: what the agent reported and when it was last heard from. */
export const agentStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(condition).optional(),
  phase: z.enum(AGENT_PHASES).optional(),
  enrolledAt: timestamp.optional(),
  lastHeartbeatTime: timestamp
    .optional()
    .meta({ description: "The renew time of the agent's Lease when last observed." }),
  lease: z.string().optional().meta({ description: "Name of the Lease the agent heartbeats through." }),
  version: z.string().optional().meta({ description: "Stella version the agent runs." }),
  hostname: z.string().optional(),
  address: z
    .string()
    .optional()
    .meta({
      description:
        "Where the host's units answer for routers: the agent's --address, else the local address of its " +
        "connection to the server.",
    }),
  os: z.string().optional(),
  arch: z.string().optional(),
  capabilities: z
    .array(z.string())
    .optional()
    .meta({ description: "Drivers the agent can run locally (docker, compose, ...)." }),
  targets: z.array(z.string()).optional().meta({ description: "Targets whose spec.agent.name names this agent." }),
});
export type AgentStatus = z.infer<typeof agentStatus>;

/** A full Agent object. */
export const agentSchema = kindSchema("Agent", agentSpec, agentStatus);
export type Agent = z.infer<typeof agentSchema>;

function readyCell(obj: unknown): string {
  const conditions = (obj as Agent).status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === AgentConditions.Ready);
  if (!ready) return "Unknown";
  return ready.status === "True" ? "True" : `${ready.status} (${ready.reason})`;
}

function targetsCell(obj: unknown): string {
  return ((obj as Agent).status?.targets ?? []).join(",");
}

/** Registration of the Agent kind. */
export const agentKind: KindInfo = {
  kind: "Agent",
  plural: "agents",
  singular: "agent",
  shortNames: [],
  namespaced: true,
  categories: ["all", "stella"],
  schema: agentSchema,
  hasStatus: true,
  printerColumns: [
    {
      name: "Ready",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      description: "Whether the agent heartbeats on time (Ready condition), with the reason when it does not.",
      cell: readyCell,
    },
    { name: "Version", type: "string", jsonPath: ".status.version" },
    { name: "Last Heartbeat", type: "date", jsonPath: ".status.lastHeartbeatTime" },
    { name: "Targets", type: "string", jsonPath: ".status.targets[*]", cell: (o) => targetsCell(o) },
    { name: "Phase", type: "string", jsonPath: ".status.phase", priority: 1 },
    { name: "Host", type: "string", jsonPath: ".status.hostname", priority: 1 },
    { name: "Address", type: "string", jsonPath: ".status.address", priority: 1 },
  ],
  selectableFields: ["status.phase"],
  description:
    "An enrolled agent on a target host: its identity, the targets it serves and its capabilities. It heartbeats through a Lease.",
};
