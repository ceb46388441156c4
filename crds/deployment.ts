// Deployment: runs a Release on the targets of an Environment with a strategy, health checks, a
// progress deadline and automatic rollback. The target list is frozen when it starts.
import { z } from "zod";
import { condition, dnsSubdomain, kindSchema, timestamp, userInfo } from "./meta.ts";
import { digest } from "./image.ts";
import { deploymentSettingsShape, deploymentStrategy } from "./deployment-strategy.ts";
import type { KindInfo } from "./scheme-types.ts";

/** Deployment.spec: what to run where, how, and the operator's controls. */
export const deploymentSpec = z.strictObject({
  release: dnsSubdomain.meta({ description: "The Release to run (same namespace)." }),
  environment: dnsSubdomain.meta({ description: "The Environment whose targets run it (same namespace)." }),
  ...deploymentSettingsShape,
  promotion: dnsSubdomain.optional().meta({ description: "The Promotion that created this deployment, if any." }),
  rollback: z
    .boolean()
    .optional()
    .meta({ description: "This deployment puts an earlier release back (`stella rollback`)." }),
  paused: z.boolean().optional().meta({ description: "Hold before the next batch (`stella rollout pause|resume`)." }),
  abort: z
    .boolean()
    .optional()
    .meta({ description: "Stop and roll back to the previous release (`stella rollout abort`)." }),
  retry: z.number().int().min(0).optional().meta({
    description: "Raise to retry a failed deployment (`stella rollout retry`); compared with status.observedRetry.",
  }),
  requestedBy: userInfo.optional().meta({
    description:
      "Who created the deployment (the promotion controller for a promotion's). Set by the server from the creator's token; any value sent is replaced.",
  }),
});
export type DeploymentSpec = z.infer<typeof deploymentSpec>;

/** Every phase of a deployment. */
export const DEPLOYMENT_PHASES = [
  "Pending",
  "Progressing",
  "Paused",
  "Succeeded",
  "Failed",
  "RolledBack",
  "Aborted",
  "Superseded",
] as const;
export type DeploymentPhase = (typeof DEPLOYMENT_PHASES)[number];

/** Phases a deployment does not leave (except Failed, by a retry). */
export const DEPLOYMENT_TERMINAL_PHASES: readonly DeploymentPhase[] = [
  "Succeeded",
  "Failed",
  "RolledBack",
  "Aborted",
  "Superseded",
];

/** Condition types of a Deployment. */
export const DeploymentConditions = {
  Progressing: "Progressing",
  Available: "Available",
  RolledBack: "RolledBack",
  Complete: "Complete",
} as const;

/** The phases of one target within a deployment. */
export const TARGET_ROLLOUT_PHASES = ["Pending", "Progressing", "Succeeded", "Failed", "RolledBack"] as const;
export type TargetRolloutPhase = (typeof TARGET_ROLLOUT_PHASES)[number];

/** What a deployment generated for a target: stored content-addressed so it can be replayed exactly. */
export const generatedArtifact = z.strictObject({
  target: z.string().optional(),
  component: z.string().optional(),
  type: z.string().meta({ description: "compose-file, container-spec, nomad-job or ecs-task-definition." }),
  digest: digest.meta({ description: "sha256 of the artifact's bytes; `stella deployment artifacts` prints them." }),
  mediaType: z.string().optional(),
  size: z.number().int().min(0).optional(),
});
export type GeneratedArtifact = z.infer<typeof generatedArtifact>;

/** One component on one target. */
export const unitStatus = z.strictObject({
  component: z.string(),
  imageRef: z.string().optional().meta({ description: "The pinned image it runs." }),
  id: z.string().optional().meta({ description: "The backend's identifier (container id, service, job)." }),
  healthy: z.boolean().optional(),
  message: z.string().optional(),
});

/** Progress on one target of the frozen list. */
export const targetRollout = z.strictObject({
  name: z.string(),
  driver: z.string().optional(),
  batch: z.number().int().min(0).optional().meta({ description: "Batch index under the Rolling strategy." }),
  slot: z
    .enum(["blue", "green"])
    .optional()
    .meta({ description: "Where the new release runs on the target, beside the slot of the release it replaces." }),
  phase: z.enum(TARGET_ROLLOUT_PHASES),
  message: z.string().optional(),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  units: z.array(unitStatus).optional(),
  artifacts: z.array(generatedArtifact).optional(),
});
export type TargetRollout = z.infer<typeof targetRollout>;

/** Deployment.status. */
export const deploymentStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(condition).optional(),
  phase: z.enum(DEPLOYMENT_PHASES).optional(),
  message: z.string().optional(),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  strategy: deploymentStrategy
    .optional()
    .meta({ description: "The effective strategy (spec or environment default), frozen at start." }),
  previousRelease: z
    .string()
    .optional()
    .meta({ description: "The environment's last good release at start: where a rollback goes." }),
  waitingFor: z
    .string()
    .optional()
    .meta({ description: "The deployment holding the environment's lock while this one waits." }),
  targets: z
    .array(targetRollout)
    .optional()
    .meta({ description: "The targets frozen at start, with per-target progress." }),
  totalTargets: z.number().int().min(0).optional(),
  updatedTargets: z.number().int().min(0).optional(),
  healthyTargets: z.number().int().min(0).optional(),
  failedTargets: z.number().int().min(0).optional(),
  progress: z.string().optional().meta({ description: "healthyTargets/totalTargets, for display." }),
  currentBatch: z.number().int().min(0).optional(),
  lastProgressTime: timestamp.optional().meta({ description: "The progress deadline counts from this." }),
  rollback: z
    .strictObject({
      release: z.string(),
      reason: z.string().optional(),
      startedAt: timestamp.optional(),
      completedAt: timestamp.optional(),
    })
    .optional()
    .meta({ description: "The automatic or requested rollback, once it started." }),
  artifacts: z.array(generatedArtifact).optional().meta({ description: "Everything generated, by digest." }),
  scaleDownAt: timestamp
    .optional()
    .meta({ description: "BlueGreen: when the previous release's units are removed (completedAt + scaleDownDelay)." }),
  scaledDownAt: timestamp
    .optional()
    .meta({ description: "BlueGreen: when the previous release's units were removed." }),
  observedRetry: z.number().int().min(0).optional(),
  supersededBy: z.string().optional(),
  canary: dnsSubdomain
    .optional()
    .meta({ description: "Canary strategy: the Canary this deployment created and follows (named after it)." }),
  evidence: z.array(z.string()).optional().meta({ description: "EvidencePackets produced, in order." }),
});
export type DeploymentStatus = z.infer<typeof deploymentStatus>;

/** A full Deployment object. */
export const deploymentSchema = kindSchema("Deployment", deploymentSpec, deploymentStatus);
export type Deployment = z.infer<typeof deploymentSchema>;

/** Registration of the Deployment kind. */
export const deploymentKind: KindInfo = {
  kind: "Deployment",
  plural: "deployments",
  singular: "deployment",
  shortNames: ["deploy"],
  namespaced: true,
  categories: ["all", "stella"],
  schema: deploymentSchema,
  hasStatus: true,
  printerColumns: [
    { name: "Release", type: "string", jsonPath: ".spec.release" },
    { name: "Environment", type: "string", jsonPath: ".spec.environment" },
    { name: "Strategy", type: "string", jsonPath: ".status.strategy.type" },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    { name: "Progress", type: "string", jsonPath: ".status.progress" },
    { name: "Message", type: "string", jsonPath: ".status.message", priority: 1 },
    { name: "Promotion", type: "string", jsonPath: ".spec.promotion", priority: 1 },
  ],
  selectableFields: ["spec.release", "spec.environment", "spec.promotion", "status.phase"],
  immutableFields: ["spec.release", "spec.environment"],
  description:
    "Runs a Release on the targets of an Environment with a strategy (AllAtOnce, Rolling, BlueGreen, or a Canary it creates and follows), health checks, a progress deadline and automatic rollback. Status shows per-target progress and the generated artifacts by digest.",
};
