// Environment: a stage (dev, staging, prod) — its targets by label selector, the upstream stages a
// release must pass first, approvals, freeze windows, gates, and defaults for its deployments.
import { z } from "zod";
import {
  condition,
  dnsLabel,
  dnsSubdomain,
  duration,
  kindSchema,
  labelSelector,
  secretKeyRef,
  timestamp,
} from "./meta.ts";
import { positiveDuration } from "./duration.ts";
import { deploymentSettings } from "./deployment-strategy.ts";
import { analysisMetric, pluginReference } from "./metric.ts";
import { forbidField, invalidValue, requireExactlyOne, requireUnique, requireUniqueValues } from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** An RFC 5545 recurrence rule with a FREQ part, e.g. `FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0`. */
export const RRULE =
  /^(?=(?:RRULE:)?(?:.*;)?FREQ=(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(?:;|$))(?:RRULE:)?[A-Z]+=[A-Za-z0-9,+\-:]+(?:;[A-Z]+=[A-Za-z0-9,+\-:]+)*$/;

/** A recurring time during which no deployment may start in the environment. */
export const freezeWindow = z.strictObject({
  name: dnsLabel.optional().meta({ description: "A name for the window, shown when it blocks a promotion." }),
  rrule: z
    .string()
    .regex(RRULE, "must be an RFC 5545 recurrence rule with FREQ, e.g. FREQ=WEEKLY;BYDAY=FR;BYHOUR=16")
    .meta({ description: "RFC 5545 recurrence rule (RRULE) giving the start of each window." }),
  duration: positiveDuration.meta({ description: "How long each window lasts from its start." }),
  start: timestamp.optional().meta({
    description: "DTSTART of the rule: the first possible start; the environment's creation time when omitted.",
  }),
  timeZone: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "IANA time zone the rule's times are in; UTC when omitted." }),
  reason: z.string().optional().meta({ description: "Why deployments are frozen, shown to whoever is blocked." }),
});
export type FreezeWindow = z.infer<typeof freezeWindow>;

/** Who must approve a promotion into the environment. */
export const approvalPolicy = z.strictObject({
  required: z.number().int().min(0).meta({ description: "How many distinct people must approve a promotion." }),
  separationOfDuties: z
    .boolean()
    .optional()
    .meta({ description: "Whoever requested the promotion cannot approve it." }),
  approvers: z
    .strictObject({
      users: z.array(z.string().min(1)).optional().meta({ description: "User names allowed to approve." }),
      groups: z.array(z.string().min(1)).optional().meta({ description: "Groups whose members may approve." }),
    })
    .optional()
    .meta({
      description: "Narrows who may approve, beyond holding the approver role; anyone with the role when omitted.",
    }),
});

/** An HTTP webhook gate: passes when the endpoint answers 2xx. */
export const webhookGate = z.strictObject({
  url: z.url().meta({ description: "URL called with the promotion as a signed JSON payload." }),
  method: z.enum(["GET", "POST"]).optional().meta({ description: "POST (default) or GET." }),
  timeout: positiveDuration.optional().meta({ description: "Time the call may take; 10s when omitted." }),
  signingSecretRef: secretKeyRef.optional().meta({ description: "Secret key used to sign the payload (HMAC-SHA256)." }),
});

/** Field names of the custom gate kinds, exactly one of which a gate sets. */
export const GATE_KINDS = ["webhook", "metric", "plugin"] as const;

/** A custom gate a promotion must pass, besides upstream, soak, freeze, signature and approval gates. */
export const gate = z
  .strictObject({
    name: dnsLabel.meta({ description: "Name of the gate, unique in the environment." }),
    webhook: webhookGate.optional(),
    metric: analysisMetric
      .omit({ name: true })
      .optional()
      .meta({ description: "Passes when the metric analysis succeeds." }),
    plugin: pluginReference.optional().meta({ description: "A Gate plugin." }),
  })
  .superRefine((g, ctx) => requireExactlyOne(ctx, g, GATE_KINDS, []));
export type EnvironmentGate = z.infer<typeof gate>;

/** Where a promotion's notify step sends its signed payload. */
export const notification = z
  .strictObject({
    name: dnsLabel,
    webhook: z
      .strictObject({
        url: z.url(),
        signingSecretRef: secretKeyRef
          .optional()
          .meta({ description: "Secret key used to sign the payload (HMAC-SHA256)." }),
      })
      .optional(),
    plugin: pluginReference.optional().meta({ description: "A Notifier plugin." }),
  })
  .superRefine((n, ctx) => requireExactlyOne(ctx, n, ["webhook", "plugin"], []));
export type Notification = z.infer<typeof notification>;

/** Promotion policy: whether releases arrive only through promotions, auto-promotion, what a rollback may skip. */
export const promotionPolicy = z.strictObject({
  required: z
    .boolean()
    .optional()
    .meta({
      description:
        "Releases enter this environment only through Promotions: a Deployment into it is accepted only from the promotion " +
        "controller, for a Promotion of the same release and environment that is Deploying.",
    }),
  autoPromote: z
    .boolean()
    .optional()
    .meta({ description: "Promote a release here without a request once it passes the upstream gates." }),
  rollback: z
    .strictObject({
      skipSoak: z.boolean().optional().meta({ description: "A rollback promotion skips the upstream soak gate." }),
      skipApprovals: z.boolean().optional().meta({ description: "A rollback promotion skips the approval gate." }),
    })
    .optional(),
});

/** Environment.spec. */
export const environmentSpec = z
  .strictObject({
    displayName: z.string().max(63).optional().meta({ description: "Human-friendly name." }),
    description: z.string().optional(),
    targetSelector: labelSelector.meta({
      description: "Label selector of the Targets in this environment (same namespace).",
    }),
    upstream: z
      .array(dnsSubdomain)
      .optional()
      .meta({ description: "Environments a release must have succeeded in before it may enter this one." }),
    requiredSoak: duration
      .optional()
      .meta({ description: "How long a release must have run in every upstream environment first." }),
    approvals: approvalPolicy.optional(),
    freezeWindows: z.array(freezeWindow).optional(),
    gates: z.array(gate).optional().meta({ description: "Custom gates every promotion must pass." }),
    deployment: deploymentSettings.optional(),
    promotion: promotionPolicy.optional(),
    notifications: z.array(notification).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.requiredSoak !== undefined && !spec.upstream?.length)
      forbidField(ctx, ["requiredSoak"], "requires spec.upstream: a release soaks in the upstream environments");
    requireUniqueValues(ctx, spec.upstream, ["upstream"]);
    requireUnique(ctx, spec.gates, "name", ["gates"]);
    requireUnique(ctx, spec.notifications, "name", ["notifications"]);
  });
export type EnvironmentSpec = z.infer<typeof environmentSpec>;

/** The phases of an environment as a whole. */
export const ENVIRONMENT_PHASES = ["Pending", "Ready", "Progressing", "Degraded"] as const;
export type EnvironmentPhase = (typeof ENVIRONMENT_PHASES)[number];

/** Condition types of an Environment. */
export const EnvironmentConditions = { Ready: "Ready", Progressing: "Progressing", Frozen: "Frozen" } as const;

/** A release that ran (or runs) in the environment. */
export const releaseRecord = z.strictObject({
  release: z.string().meta({ description: "Name of the Release." }),
  deployment: z.string().optional().meta({ description: "The Deployment that put it here." }),
  promotion: z.string().optional().meta({ description: "The Promotion that asked for it, if any." }),
  deployedAt: timestamp
    .optional()
    .meta({ description: "When its deployment succeeded here; soak time counts from this." }),
  replacedAt: timestamp.optional().meta({ description: "When another release replaced it." }),
  rollback: z.boolean().optional().meta({ description: "It arrived by a rollback." }),
  canary: z
    .string()
    .optional()
    .meta({ description: "The standalone Canary that made it stable here, when no Deployment did." }),
  component: z.string().optional().meta({
    description: "With canary: the one component the canary moved; the others run as the release before had them.",
  }),
});
export type ReleaseRecord = z.infer<typeof releaseRecord>;

/** Environment.status. */
export const environmentStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(condition).optional(),
  phase: z.enum(ENVIRONMENT_PHASES).optional(),
  current: releaseRecord.optional().meta({ description: "The release running now." }),
  previous: releaseRecord
    .optional()
    .meta({ description: "The last good release before it: where an automatic rollback goes." }),
  history: z
    .array(releaseRecord)
    .optional()
    .meta({ description: "Releases that succeeded here, newest first (bounded); soak gates read it." }),
  targets: z
    .array(
      z.strictObject({
        name: z.string(),
        driver: z.string().optional(),
        ready: z.boolean().optional(),
        cordoned: z.boolean().optional().meta({ description: "spec.unschedulable: new deployments skip it." }),
      }),
    )
    .optional()
    .meta({ description: "The targets the selector matches now." }),
  readyTargets: z.number().int().min(0).optional().meta({ description: "Schedulable targets that are ready." }),
  totalTargets: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Targets the selector matches, cordoned ones included." }),
  cordonedTargets: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Matched targets that are cordoned (unschedulable)." }),
  ready: z
    .string()
    .optional()
    .meta({ description: "Ready/schedulable targets, cordoned ones counted apart (`1/1 +4 cordoned`), for display." }),
  activeDeployment: z
    .string()
    .optional()
    .meta({ description: "The deployment holding the environment's lock; one runs at a time." }),
  frozenUntil: timestamp.optional().meta({ description: "End of the freeze window open now, if any." }),
});
export type EnvironmentStatus = z.infer<typeof environmentStatus>;

/** A full Environment object. */
export const environmentSchema = kindSchema("Environment", environmentSpec, environmentStatus).superRefine(
  (env, ctx) => {
    env.spec.upstream?.forEach((name, i) => {
      if (name === env.metadata.name)
        invalidValue(ctx, ["spec", "upstream", i], name, "an environment cannot be its own upstream");
    });
  },
);
export type Environment = z.infer<typeof environmentSchema>;

/** Registration of the Environment kind. */
export const environmentKind: KindInfo = {
  kind: "Environment",
  plural: "environments",
  singular: "environment",
  shortNames: ["env"],
  namespaced: true,
  categories: ["all", "stella"],
  schema: environmentSchema,
  hasStatus: true,
  printerColumns: [
    { name: "Current", type: "string", jsonPath: ".status.current.release", description: "The release running now." },
    {
      name: "Ready",
      type: "string",
      jsonPath: ".status.ready",
      description: "Ready / schedulable targets, cordoned apart.",
    },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    { name: "Upstream", type: "string", jsonPath: ".spec.upstream[*]", priority: 1 },
    { name: "Previous", type: "string", jsonPath: ".status.previous.release", priority: 1 },
  ],
  selectableFields: ["status.phase", "status.current.release"],
  description:
    "A stage (dev, staging, prod): the targets its label selector matches, the upstream environments a release must pass first, approvals, freeze windows and gates. Status shows the current and previous release.",
};
