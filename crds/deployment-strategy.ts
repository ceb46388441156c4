// How a deployment rolls a release over the targets of an environment. Shared by Deployment (what
// runs), Environment (its defaults) and Promotion (a per-request override).
import { z } from "zod";
import { duration } from "./meta.ts";
import { positiveDuration } from "./duration.ts";
import { canaryPlanShape, checkCanaryPlan } from "./canary.ts";
import { forbidField, requireField } from "./refinements.ts";

/**
 * The strategies: every target at once, in batches, a new set beside the old then a switch, or a
 * Canary of one component that moves traffic step by step.
 */
export const STRATEGY_TYPES = ["AllAtOnce", "Rolling", "BlueGreen", "Canary"] as const;
export type StrategyType = (typeof STRATEGY_TYPES)[number];

const ROLLING_ONLY = ["maxParallel", "maxUnavailable", "stagger"] as const;
const BLUE_GREEN_ONLY = ["scaleDownDelay"] as const;

/**
 * The Canary strategy's plan: the deployment creates a Canary of `component` with these steps,
 * router and analysis (the same fields as Canary.spec) and follows it to its end.
 */
export const canaryStrategy = z
  .strictObject(canaryPlanShape)
  .superRefine((plan, ctx) => checkCanaryPlan(plan, ctx, "canary.analysis.metrics"))
  .meta({
    description:
      "Canary: the Canary the deployment creates (named after it) and follows; its success lands the release.",
  });
export type CanaryStrategy = z.infer<typeof canaryStrategy>;

/** A strategy: `type` plus the knobs of that type; a knob of another type is an error. */
export const deploymentStrategy = z
  .strictObject({
    type: z.enum(STRATEGY_TYPES).meta({
      description:
        "AllAtOnce updates every target together; Rolling updates maxParallel targets at a time; BlueGreen starts the new version beside the old, checks it, switches, and keeps the old for scaleDownDelay; Canary runs a Canary of one component (the canary block) and lands the release when it succeeds.",
    }),
    maxParallel: z
      .number()
      .int()
      .min(1, "must be greater than or equal to 1")
      .optional()
      .meta({ description: "Rolling: how many targets update at once; 1 when omitted." }),
    maxUnavailable: z.number().int().min(0, "must be greater than or equal to 0").optional().meta({
      description:
        "Rolling: how many targets may be without a healthy instance at once; 0 starts the new version before stopping the old one.",
    }),
    stagger: duration
      .optional()
      .meta({ description: "Rolling: wait this long after a batch turns healthy before starting the next." }),
    scaleDownDelay: duration.optional().meta({
      description: "BlueGreen: keep the old version running this long after the switch, so a rollback is instant.",
    }),
    maxFailureRatio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: "Fraction of targets (0 to 1) that may fail before the deployment fails; 0 when omitted." }),
    canary: canaryStrategy.optional(),
  })
  .superRefine((strategy, ctx) => {
    for (const field of ROLLING_ONLY) {
      if (strategy[field] !== undefined && strategy.type !== "Rolling")
        forbidField(ctx, [field], `may only be set when type is Rolling`);
    }
    for (const field of BLUE_GREEN_ONLY) {
      if (strategy[field] !== undefined && strategy.type !== "BlueGreen")
        forbidField(ctx, [field], `may only be set when type is BlueGreen`);
    }
    if (strategy.type === "Canary" && strategy.canary === undefined)
      requireField(ctx, ["canary"], "required when type is Canary");
    if (strategy.type !== "Canary" && strategy.canary !== undefined)
      forbidField(ctx, ["canary"], "may only be set when type is Canary");
  })
  .meta({ description: "How the release rolls over the targets." });
export type DeploymentStrategy = z.infer<typeof deploymentStrategy>;

/** The settings a Deployment uses and an Environment or Promotion may give defaults for. */
export const deploymentSettingsShape = {
  strategy: deploymentStrategy.optional(),
  progressDeadline: positiveDuration
    .optional()
    .meta({ description: "Fail the deployment when it makes no progress for this long; 10m when omitted." }),
  autoRollback: z.boolean().optional().meta({
    description: "On failure, go back to the environment's previous good release at once; true when omitted.",
  }),
};

/** Deployment defaults (Environment.spec.deployment, Promotion.spec.deployment). */
export const deploymentSettings = z
  .strictObject(deploymentSettingsShape)
  .meta({ description: "Defaults for deployments: strategy, progress deadline and automatic rollback." });
export type DeploymentSettings = z.infer<typeof deploymentSettings>;
