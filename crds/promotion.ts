// Promotion: a request to move a Release into an Environment. A state machine: gates, approvals,
// a Deployment, verification, then exactly one terminal phase — every decision leaves evidence.
import { z } from "zod";
import { condition, dnsSubdomain, kindSchema, timestamp, userInfo } from "./meta.ts";
import { deploymentSettings } from "./deployment-strategy.ts";
import type { KindInfo } from "./scheme-types.ts";

/** Promotion.spec. */
export const promotionSpec = z.strictObject({
  release: dnsSubdomain.meta({
    description:
      "The Release to promote (same namespace). Immutable: what is promoted is fixed before anyone decides on it.",
  }),
  environment: dnsSubdomain.meta({ description: "The Environment to promote it into (same namespace). Immutable." }),
  reason: z.string().max(1024).optional().meta({ description: "Why, in the requester's words; recorded in evidence." }),
  rollback: z.boolean().optional().meta({
    description:
      "This promotion is a rollback to an earlier release; it skips soak and approval gates only where the environment's promotion policy allows.",
  }),
  deployment: deploymentSettings
    .optional()
    .meta({ description: "Overrides the environment's deployment defaults for this promotion." }),
  abort: z
    .boolean()
    .optional()
    .meta({ description: "Set to stop the promotion; a running deployment is aborted and rolled back." }),
  requestedBy: userInfo.optional().meta({
    description:
      "Who asked for the promotion. Set by the server from the requester's token on create; any value sent is replaced.",
  }),
});
export type PromotionSpec = z.infer<typeof promotionSpec>;

/** Every phase of a promotion, in the order it normally passes them. */
export const PROMOTION_PHASES = [
  "Pending",
  "Evaluating",
  "AwaitingApproval",
  "Deploying",
  "Verifying",
  "Succeeded",
  "Failed",
  "Errored",
  "Rejected",
  "Aborted",
  "Superseded",
] as const;
export type PromotionPhase = (typeof PROMOTION_PHASES)[number];

/** Phases a promotion never leaves: Failed means the release is bad, Errored means infrastructure trouble. */
export const PROMOTION_TERMINAL_PHASES: readonly PromotionPhase[] = [
  "Succeeded",
  "Failed",
  "Errored",
  "Rejected",
  "Aborted",
  "Superseded",
];

/** Condition types of a Promotion. */
export const PromotionConditions = {
  GatesPassed: "GatesPassed",
  Approved: "Approved",
  Deployed: "Deployed",
  Verified: "Verified",
  Complete: "Complete",
} as const;

/** Verdicts a gate can reach. */
export const GATE_VERDICTS = ["Pending", "Passed", "Failed", "Error", "Skipped"] as const;
export type GateVerdict = (typeof GATE_VERDICTS)[number];

/** The built-in gate types; custom gates carry the environment's gate kind (webhook, metric, plugin). */
export const BUILTIN_GATES = ["upstream", "soak", "freeze", "signature", "approval"] as const;

/** One gate's verdict with the inputs it was decided on. */
export const gateStatus = z.strictObject({
  name: z.string().meta({
    description:
      "Gate name: a built-in (upstream, soak, freeze, signature, approval) or one of the environment's gates.",
  }),
  type: z
    .string()
    .optional()
    .meta({ description: "upstream, soak, freeze, signature, approval, webhook, metric or plugin." }),
  verdict: z.enum(GATE_VERDICTS),
  message: z
    .string()
    .optional()
    .meta({ description: "What was checked and why it decided so, in words a person acts on." }),
  inputs: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: "The values the verdict was decided on.", "x-kubernetes-preserve-unknown-fields": true }),
  evaluatedAt: timestamp.optional(),
  evidence: z.string().optional().meta({ description: "The EvidencePacket recording this verdict." }),
});
export type GateStatus = z.infer<typeof gateStatus>;

/** Approval decisions. */
export const APPROVAL_DECISIONS = ["Approved", "Rejected"] as const;

/** What an approval was given for, recorded by the server from the stored objects at decision time. */
export const approvalBinding = z.strictObject({
  release: dnsSubdomain.meta({ description: "The Release decided on." }),
  digests: z
    .array(z.string())
    .meta({ description: "Its resolved components then, `component=repository@sha256:…`, in order." }),
  policyDigest: z.string().meta({
    description:
      "sha256 of the environment's policy then (upstream, soak, approvals, freeze windows, gates, promotion).",
  }),
});
export type ApprovalBinding = z.infer<typeof approvalBinding>;

/** One approval or rejection; the identity comes from the approver's token, never a request body. */
export const approval = z.strictObject({
  user: userInfo,
  decision: z.enum(APPROVAL_DECISIONS),
  comment: z.string().max(4096).optional(),
  time: timestamp,
  binding: approvalBinding.optional().meta({
    description:
      "The release digests and policy digest the decision was given for; an approval counts only while both still match.",
  }),
  evidence: z.string().optional().meta({ description: "The EvidencePacket recording this decision." }),
});
export type Approval = z.infer<typeof approval>;

/** The phases of one workflow step. */
export const STEP_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Skipped"] as const;

/**
 * One step of the promotion's workflow (gates, approval, deploy, verify, notify); a restarted controller resumes from
 * these.
 */
export const promotionStep = z.strictObject({
  name: z.string(),
  phase: z.enum(STEP_PHASES),
  dependsOn: z.array(z.string()).optional(),
  attempts: z.number().int().min(0).optional(),
  message: z.string().optional(),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
});
export type PromotionStep = z.infer<typeof promotionStep>;

/** Promotion.status. */
export const promotionStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(condition).optional(),
  phase: z.enum(PROMOTION_PHASES).optional(),
  message: z.string().optional().meta({ description: "What the promotion waits for or why it ended." }),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  gates: z.array(gateStatus).optional(),
  approvalsRequired: z.number().int().min(0).optional(),
  approvals: z.array(approval).optional().meta({ description: "Approvals and rejections in the order they arrived." }),
  deployment: z.string().optional().meta({ description: "The Deployment this promotion created." }),
  previousRelease: z.string().optional().meta({ description: "The environment's release when the promotion started." }),
  steps: z.array(promotionStep).optional(),
  supersededBy: z
    .string()
    .optional()
    .meta({ description: "The newer promotion to the same environment that replaced this one." }),
  evidence: z.array(z.string()).optional().meta({ description: "EvidencePackets produced, in order." }),
});
export type PromotionStatus = z.infer<typeof promotionStatus>;

/** A full Promotion object. */
export const promotionSchema = kindSchema("Promotion", promotionSpec, promotionStatus);
export type Promotion = z.infer<typeof promotionSchema>;

/** Registration of the Promotion kind. */
export const promotionKind: KindInfo = {
  kind: "Promotion",
  plural: "promotions",
  singular: "promotion",
  shortNames: ["promo"],
  namespaced: true,
  categories: ["all", "stella"],
  schema: promotionSchema,
  hasStatus: true,
  subresources: ["approval"],
  printerColumns: [
    { name: "Release", type: "string", jsonPath: ".spec.release" },
    { name: "Environment", type: "string", jsonPath: ".spec.environment" },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    { name: "Message", type: "string", jsonPath: ".status.message", priority: 1 },
    { name: "Deployment", type: "string", jsonPath: ".status.deployment", priority: 1 },
    { name: "Requested By", type: "string", jsonPath: ".spec.requestedBy.username", priority: 1 },
  ],
  selectableFields: ["spec.release", "spec.environment", "status.phase"],
  // What is promoted, and where, is fixed at create: nobody decides on a promotion whose target could
  // still change (an approval of one release must never carry over to another). spec.rollback
  // decides which gates a promotion may skip, so it is fixed at create too.
  immutableFields: ["spec.release", "spec.environment", "spec.rollback", "spec.requestedBy"],
  description:
    "A request to move a Release into an Environment: gates, approvals, then a Deployment, as a state machine that ends in one terminal phase. Every decision is recorded as evidence.",
};
