// AgentWork: what the server hands one agent for one of its targets. The agent driver (server side)
// writes the spec; the agent (host side) runs it with its local driver and writes the status. An
// agent credential reaches only the AgentWork whose spec.agent names it (apiserver/auth/agent-scope.ts),
// so one agent never sees another's work. A `Run` work holds the units of one slot (namespace,
// environment, blue or green) on one target; a `Check` work asks for one health probe of a unit and
// is deleted once answered.
import { z } from "zod";
import { condition, dnsLabel, dnsSubdomain, kindSchema, timestamp } from "./meta.ts";
import { healthCheck } from "./health-check.ts";
import type { KindInfo } from "./scheme-types.ts";

/** What a work object asks for. */
export const AGENT_WORK_OPERATIONS = ["Run", "Check"] as const;
export type AgentWorkOperation = (typeof AGENT_WORK_OPERATIONS)[number];

const unitPort = z.strictObject({
  name: z.string().min(1),
  containerPort: z.number().int().min(1).max(65535),
  hostPort: z.number().int().min(1).max(65535),
  protocol: z.enum(["TCP", "UDP"]).optional(),
});

const unitEnv = z.strictObject({
  name: z.string().min(1),
  value: z.string().optional(),
  secretKeyRef: z.strictObject({ name: dnsSubdomain, key: z.string().min(1) }).optional(),
});

/**
 * One component at a digest, as sdk/plugins/driver.ts DesiredUnit, with the release and deployment
 * that put it there; env holds Secret references, never values.
 */
export const agentWorkUnit = z.strictObject({
  release: z.string().min(1),
  deployment: z.string().min(1),
  component: dnsLabel,
  imageRef: z.string().regex(/@sha256:[0-9a-f]{64}$/, "must be pinned by digest (repository@sha256:...)"),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  user: z.string().optional(),
  env: z.array(unitEnv),
  ports: z.array(unitPort),
  healthCheck: healthCheck.optional(),
});

/** The slot the units run in on the target: one Run work per namespace, environment and slot. */
export const agentWorkScope = z.strictObject({
  namespace: z.string().min(1),
  environment: z.string().min(1),
  slot: z.enum(["blue", "green"]),
});

/** A unit as the agent observed it (sdk ObservedUnit); validated loosely, it is the agent's report. */
const observedUnit = z.looseObject({ id: z.string(), name: z.string(), component: z.string() });

/** AgentWork.spec. */
export const agentWorkSpec = z.strictObject({
  agent: dnsSubdomain.meta({ description: "The Agent that runs this work." }),
  target: dnsSubdomain.meta({ description: "The Target (driver agent) the work is for." }),
  operation: z.enum(AGENT_WORK_OPERATIONS),
  scope: agentWorkScope.optional().meta({ description: "Run: the deployment slot the units belong to." }),
  runtime: z
    .enum(["docker", "compose"])
    .optional()
    .meta({ description: "Run: how the agent runs the units, as the target says: docker (default) or compose." }),
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a compose project name: lowercase letters, digits, '_' and '-'")
    .optional()
    .meta({ description: "Run with runtime compose: the compose project the units belong to." }),
  units: z
    .array(agentWorkUnit)
    .optional()
    .meta({ description: "Run: the units that must run in the slot; the agent removes the slot's others." }),
  check: z
    .strictObject({ unit: observedUnit, healthCheck })
    .optional()
    .meta({ description: "Check: the unit to probe once, and how." }),
});
export type AgentWorkSpec = z.infer<typeof agentWorkSpec>;
export type AgentWorkUnit = z.infer<typeof agentWorkUnit>;

/** Phases of a work object as the agent reports them. */
export const AGENT_WORK_PHASES = ["Pending", "Applied", "Failed"] as const;
export type AgentWorkPhase = (typeof AGENT_WORK_PHASES)[number];

/** AgentWork.status, written by the agent. */
export const agentWorkStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  phase: z.enum(AGENT_WORK_PHASES).optional(),
  reason: z
    .string()
    .optional()
    .meta({ description: "Failed: the driver reason (ImagePullFailed, SecretNotFound, ...)." }),
  message: z.string().optional(),
  units: z.array(observedUnit).optional().meta({ description: "The slot's units on the host, as last observed." }),
  observedTime: timestamp.optional().meta({ description: "When the agent last observed the units." }),
  result: z
    .strictObject({ healthy: z.boolean(), message: z.string() })
    .optional()
    .meta({ description: "Check: the probe's outcome." }),
  conditions: z.array(condition).optional(),
});
export type AgentWorkStatus = z.infer<typeof agentWorkStatus>;

/** A full AgentWork object. */
export const agentWorkSchema = kindSchema("AgentWork", agentWorkSpec, agentWorkStatus);
export type AgentWork = z.infer<typeof agentWorkSchema>;

/** Registration of the AgentWork kind. */
export const agentWorkKind: KindInfo = {
  kind: "AgentWork",
  plural: "agentworks",
  singular: "agentwork",
  shortNames: ["work"],
  namespaced: true,
  categories: ["stella"],
  schema: agentWorkSchema,
  hasStatus: true,
  printerColumns: [
    { name: "Agent", type: "string", jsonPath: ".spec.agent" },
    { name: "Target", type: "string", jsonPath: ".spec.target" },
    { name: "Operation", type: "string", jsonPath: ".spec.operation" },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    { name: "Message", type: "string", jsonPath: ".status.message", priority: 1 },
  ],
  selectableFields: ["spec.agent", "spec.target"],
  description:
    "Work the server hands an agent for one of its targets: the units of a deployment slot to run, or a health probe to make. The agent reports what it observed in status.",
};
