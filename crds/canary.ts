// Canary: progressive delivery of one component. Steps shift traffic through a router plugin,
// pause, or run metric analysis; a failed analysis aborts and sends all traffic back to stable.
import { z } from "zod";
import { condition, dnsLabel, dnsSubdomain, duration, kindSchema, timestamp } from "./meta.ts";
import { positiveDuration } from "./duration.ts";
import { analysisMetric, MEASUREMENT_PHASES, metricResult, pluginConfig } from "./metric.ts";
import {
  forbidField,
  invalidValue,
  requireExactlyOne,
  requireField,
  requireUnique,
  valueNotFound,
} from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** HAProxy weights set through its runtime API, with no reloads. */
export const haproxyRouter = z.strictObject({
  runtimeApi: z.string().min(1).meta({ description: "Runtime API address: host:port or the path of a Unix socket." }),
  backend: z.string().min(1).meta({ description: "The backend holding the stable and canary servers." }),
  stableServer: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Server name of the stable version; `stable` when omitted." }),
  canaryServer: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Server name of the canary version; `canary` when omitted." }),
});

/** nginx weights and routes in a generated configuration file, applied by a graceful reload. */
export const nginxRouter = z.strictObject({
  configFile: z.string().min(1).meta({
    description: "The file the router writes (an nginx.conf `include` inside `http {}`); one per canary.",
  }),
  pidFile: z.string().min(1).meta({ description: "The nginx master's pid file: the router reloads it with SIGHUP." }),
  listen: z.string().min(1).meta({ description: "host:port the generated server listens on." }),
  accessLog: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute path of letters, digits, '.', '_', '-' and '/'")
    .optional()
    .meta({
      description:
        "A file the generated server logs each proxied request to as `<upstream prefix> <side> <status>` (side: stable or canary, by the server that answered), for a log exporter such as mtail to count; analysis queries read the counts (controllers/routers/nginx/router-sides.mtail). Absent: no log.",
    }),
});

/** Routers with a settings block of their own in Canary.spec.router. */
export const BUILTIN_ROUTERS = ["haproxy", "nginx"] as const;

/** Which Router plugin moves the traffic: built-ins take their block, others take `config`. */
export const canaryRouter = z
  .strictObject({
    plugin: z
      .string()
      .min(1)
      .meta({ description: "Router plugin: haproxy, nginx, or the name of a plugin loaded from disk." }),
    haproxy: haproxyRouter.optional(),
    nginx: nginxRouter.optional(),
    config: pluginConfig.optional().meta({
      description: "Settings for a plugin without a block of its own.",
      "x-kubernetes-preserve-unknown-fields": true,
    }),
  })
  .superRefine((router, ctx) => {
    for (const builtin of BUILTIN_ROUTERS) {
      if (router.plugin === builtin && router[builtin] === undefined)
        requireField(ctx, [builtin], `spec.router.${builtin} is required when plugin is ${builtin}`);
      if (router.plugin !== builtin && router[builtin] !== undefined)
        forbidField(ctx, [builtin], `may only be set when plugin is ${builtin}`);
    }
  });

/** A header match for a header-based route. */
export const headerMatch = z.strictObject({
  headerName: z.string().min(1),
  headerValue: z
    .strictObject({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() })
    .superRefine((value, ctx) => requireExactlyOne(ctx, value, ["exact", "prefix", "regex"], [])),
});

/** A cookie match for a cookie-based route: requests carrying this cookie with exactly this value. */
export const cookieMatch = z.strictObject({
  cookieName: z.string().min(1),
  cookieValue: z.strictObject({ exact: z.string().min(1) }),
});

/** Field names of the step kinds, exactly one of which a step sets. */
export const CANARY_STEP_KINDS = ["setWeight", "pause", "analysis", "setHeaderRoute", "setCookieRoute"] as const;

/** One step: exactly one of setWeight, pause, analysis, setHeaderRoute or setCookieRoute. */
export const canaryStep = z
  .strictObject({
    setWeight: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .meta({ description: "Send this percentage of traffic to the canary." }),
    pause: z
      .strictObject({
        duration: positiveDuration
          .optional()
          .meta({ description: "How long to wait; until `stella canary promote` when omitted." }),
      })
      .optional(),
    analysis: z
      .strictObject({
        metrics: z
          .array(dnsLabel)
          .min(1)
          .meta({ description: "Names of metrics from spec.analysis.metrics to run now." }),
      })
      .optional(),
    setHeaderRoute: z
      .strictObject({
        name: z.string().min(1),
        match: z
          .array(headerMatch)
          .optional()
          .meta({ description: "Requests matching all of these go to the canary; removes the route when omitted." }),
      })
      .optional(),
    setCookieRoute: z
      .strictObject({
        name: z.string().min(1),
        match: z.array(cookieMatch).optional().meta({
          description: "Requests carrying all of these cookies go to the canary; removes the route when omitted.",
        }),
      })
      .optional(),
  })
  .superRefine((step, ctx) => requireExactlyOne(ctx, step, CANARY_STEP_KINDS, []));
export type CanaryStep = z.infer<typeof canaryStep>;

/** The metrics a canary's analysis steps and background analysis refer to by name. */
export const canaryAnalysis = z
  .strictObject({
    metrics: z.array(analysisMetric).min(1),
    background: z
      .strictObject({
        metrics: z.array(dnsLabel).min(1).meta({ description: "Names of metrics from analysis.metrics." }),
        startingStep: z
          .number()
          .int()
          .min(0)
          .optional()
          .meta({ description: "Index of the step from which it runs; 0 when omitted." }),
      })
      .optional()
      .meta({
        description:
          "Analysis over the whole canary, beside the steps: a failure aborts at once; Inconclusive or Error pauses it.",
      }),
  })
  .meta({ description: "Metrics the analysis steps and the background analysis refer to by name." });
export type CanaryAnalysis = z.infer<typeof canaryAnalysis>;

/**
 * What a canary does, apart from which release and environment: shared by Canary.spec and the
 * `canary` block of a Deployment's Canary strategy (crds/deployment-strategy.ts).
 */
export const canaryPlanShape = {
  component: dnsLabel.meta({ description: "The component of the release whose traffic moves." }),
  router: canaryRouter,
  steps: z.array(canaryStep).min(1),
  analysis: canaryAnalysis.optional(),
  scaleDownDelay: duration.optional().meta({
    description: "Keep the old stable units this long after the canary takes all traffic; 30s when omitted.",
  }),
  progressDeadline: duration.optional().meta({
    description:
      "How long the canary's units may take to start and become healthy before the canary fails with " +
      "ProgressDeadlineExceeded (its units removed, traffic back on stable); 10m when omitted. Pauses and " +
      "analysis do not count: they are the canary's own pace.",
  }),
};

/** The fields checkCanaryPlan reads. */
type CanaryPlan = { steps: CanaryStep[]; analysis?: CanaryAnalysis };

/**
 * The cross-field rules of a canary plan: every metric an analysis step or the background analysis
 * names is defined once in analysis.metrics, and background analysis starts at an existing step.
 * `metricsField` is how the error names analysis.metrics from where the plan sits.
 */
export function checkCanaryPlan(plan: CanaryPlan, ctx: z.core.$RefinementCtx<unknown>, metricsField: string) {
  requireUnique(ctx, plan.analysis?.metrics, "name", ["analysis", "metrics"]);
  const defined = new Set(plan.analysis?.metrics.map((m) => m.name));
  const undefinedMetric = (path: PropertyKey[], name: string) =>
    valueNotFound(ctx, path, name, `must name a metric in ${metricsField}`);
  plan.steps.forEach((step, i) =>
    step.analysis?.metrics.forEach((name, j) => {
      if (!defined.has(name)) undefinedMetric(["steps", i, "analysis", "metrics", j], name);
    }),
  );
  plan.analysis?.background?.metrics.forEach((name, j) => {
    if (!defined.has(name)) undefinedMetric(["analysis", "background", "metrics", j], name);
  });
  const starting = plan.analysis?.background?.startingStep;
  if (starting !== undefined && starting >= plan.steps.length)
    invalidValue(
      ctx,
      ["analysis", "background", "startingStep"],
      starting,
      `must be less than the number of steps (${plan.steps.length})`,
    );
}

/** Canary.spec. */
export const canarySpec = z
  .strictObject({
    release: dnsSubdomain.meta({ description: "The Release to shift traffic to." }),
    environment: dnsSubdomain.meta({ description: "The Environment it runs in." }),
    ...canaryPlanShape,
    stableRelease: dnsSubdomain
      .optional()
      .meta({ description: "The release traffic moves from; the environment's current release when omitted." }),
    abort: z.boolean().optional().meta({ description: "Abort: all traffic back to stable (`stella canary abort`)." }),
    promotedStep: z.number().int().min(0).optional().meta({
      description: "Index of the last pause step released by `stella canary promote`; pauses up to it no longer wait.",
    }),
    retry: z.number().int().min(0).optional().meta({
      description: "Raise to run an Aborted or Failed canary again from its first step (`stella canary retry`).",
    }),
    promoteFull: z.boolean().optional().meta({
      description: "Skip the remaining steps and send all traffic to the canary (`stella canary promote --full`).",
    }),
  })
  .superRefine((spec, ctx) => checkCanaryPlan(spec, ctx, "spec.analysis.metrics"));
export type CanarySpec = z.infer<typeof canarySpec>;

/** Every phase of a canary. */
export const CANARY_PHASES = ["Pending", "Progressing", "Paused", "Succeeded", "Aborted", "Failed"] as const;
export type CanaryPhase = (typeof CANARY_PHASES)[number];

/** Phases a canary does not leave. */
export const CANARY_TERMINAL_PHASES: readonly CanaryPhase[] = ["Succeeded", "Aborted", "Failed"];

/** Condition types of a Canary. */
export const CanaryConditions = { Progressing: "Progressing", Healthy: "Healthy", Complete: "Complete" } as const;

/** One run of an analysis step (or of background analysis when step is absent). */
export const analysisRun = z.strictObject({
  step: z.number().int().min(0).optional(),
  phase: z.enum(MEASUREMENT_PHASES),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  metrics: z.array(metricResult).optional(),
});

/** Canary.status. */
export const canaryStatus = z.strictObject({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(condition).optional(),
  phase: z.enum(CANARY_PHASES).optional(),
  message: z.string().optional(),
  stableRelease: z.string().optional().meta({ description: "The release traffic moves from, fixed at start." }),
  currentStepIndex: z.number().int().min(0).optional(),
  currentWeight: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .meta({ description: "Canary weight the router last confirmed." }),
  headerRoutes: z
    .array(z.string())
    .optional()
    .meta({ description: "Match routes (setHeaderRoute and setCookieRoute) in place now." }),
  observedRetry: z.number().int().min(0).optional().meta({ description: "The spec.retry last acted on." }),
  pauseStartTime: timestamp.optional(),
  unitsWaitingSince: timestamp
    .optional()
    .meta({ description: "Since when the canary has waited for its units (spec.progressDeadline counts from it)." }),
  startedAt: timestamp.optional(),
  completedAt: timestamp.optional(),
  analysisRuns: z.array(analysisRun).optional(),
  scaleDownAt: timestamp
    .optional()
    .meta({ description: "When the old stable units are removed (completedAt + spec.scaleDownDelay)." }),
  scaledDownAt: timestamp.optional().meta({ description: "When the old stable units were removed." }),
  evidence: z.array(z.string()).optional().meta({ description: "EvidencePackets produced, in order." }),
});
export type CanaryStatus = z.infer<typeof canaryStatus>;

/** A full Canary object. */
export const canarySchema = kindSchema("Canary", canarySpec, canaryStatus);
export type Canary = z.infer<typeof canarySchema>;

/** Registration of the Canary kind. */
export const canaryKind: KindInfo = {
  kind: "Canary",
  plural: "canaries",
  singular: "canary",
  shortNames: [],
  namespaced: true,
  categories: ["all", "stella"],
  schema: canarySchema,
  hasStatus: true,
  printerColumns: [
    { name: "Release", type: "string", jsonPath: ".spec.release" },
    { name: "Environment", type: "string", jsonPath: ".spec.environment" },
    { name: "Component", type: "string", jsonPath: ".spec.component" },
    { name: "Step", type: "integer", jsonPath: ".status.currentStepIndex" },
    { name: "Weight", type: "integer", jsonPath: ".status.currentWeight" },
    {
      name: "Analysis",
      type: "string",
      jsonPath: ".status.analysisRuns[*].phase",
      description: "Phase of the latest analysis run (the cell shows the last of these).",
      cell: (o) => (o as Canary).status?.analysisRuns?.at(-1)?.phase,
    },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
    { name: "Message", type: "string", jsonPath: ".status.message", priority: 1 },
  ],
  selectableFields: ["spec.release", "spec.environment", "spec.component", "status.phase"],
  immutableFields: ["spec.release", "spec.environment", "spec.component"],
  description:
    "Progressive delivery of one component: steps (setWeight, pause, analysis, setHeaderRoute, setCookieRoute) through a router plugin, with metric analysis that promotes or aborts automatically.",
};
