// Wiring the promotion reconciler into a manager. A Promotion is reconciled when its spec changes
// (abort), when approvals arrive (the apiserver appends them to status), when a newer promotion to
// its environment appears (supersede), when its Deployment moves, when a Deployment lands in an
// upstream environment (upstream, soak), when its Environment or Release changes (verification,
// signatures), and on the reconciler's own polls. Its own status writes do not wake it.
import { isDeepStrictEqual } from "node:util";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { isNotFound } from "../../crds/errors.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import { releaseKind, type Release } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import type { Gate } from "../../sdk/plugins/gate.ts";
import type { Notifier } from "../../sdk/plugins/notifier.ts";
import { secretValueReader } from "../../sdk/secret-values.ts";
import { recordEvidence } from "../evidence/index.ts";
import { builtinGates, gatesByType } from "../gates/index.ts";
import { builtinNotifiers } from "../notifiers/index.ts";
import type { Controller, WatchSpec, Logger, Manager, Predicate, Request } from "../runtime/index.ts";
import { recordNotes, stderrLogger } from "../runtime/index.ts";
import { promotionEvents } from "./events.ts";
import type { PromotionLimits } from "./deps.ts";
import { PromotionReconciler } from "./reconciler.ts";
import { isTerminal } from "./status.ts";
import { PromotionStore } from "./status-store.ts";
import { SUPERSEDABLE } from "./supersede.ts";

/** The workflow limits when none are given. */
export const DEFAULT_LIMITS: PromotionLimits = {
  gateErrorLimit: 5,
  pendingRetryMs: 15_000,
  verifyTimeoutMs: 120_000,
  notifyAttempts: 5,
  pluginTimeoutMs: 30_000,
};

/** How the promotion controller runs; every field has a default. */
export interface PromotionControllerOptions {
  /** The gates promotions may need: the built-in ones (controllers/gates) when absent. */
  gates?: readonly Gate[];
  /** Notifiers for the notify steps: the built-in ones (controllers/notifiers) when absent. */
  notifiers?: readonly Notifier[];
  limits?: Partial<PromotionLimits>;
  /** Promotions reconciled at once; default 4. */
  concurrency?: number;
  namespace?: string;
  log?: Logger;
}

/** Adds the promotion controller to `mgr`; returns it. */
export function addPromotionController(mgr: Manager, opts: PromotionControllerOptions = {}): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const promotions = mgr.informer<Promotion>(promotionKind, scope).cache;
  const environments = mgr.informer<Environment>(environmentKind, scope).cache;
  const releases = mgr.informer<Release>(releaseKind, scope).cache;
  const deployments = mgr.informer<Deployment>(deploymentKind, scope).cache;
  const canaries = mgr.informer<Canary>(canaryKind, scope).cache;
  const targets = mgr.informer<Target>(targetKind, scope).cache;
  const client = mgr.client;
  const deploymentClient = client.resource<Deployment>(deploymentKind);
  const secrets = client.resource<Secret>(secretKind);
  const recorder = mgr.recorder("promotion");
  const store = new PromotionStore(
    client.resource<Promotion>(promotionKind),
    (ns, name) => promotions.getByName(ns, name),
    (before, after) => recordNotes(recorder, after, promotionEvents(after, before.status, after.status ?? {})),
  );
  const deploymentsOf = (ns: string, env: string) =>
    deployments.select({ namespace: ns }).filter((d) => d.spec.environment === env);
  const log = opts.log ?? stderrLogger;
  const reconciler = new PromotionReconciler({
    promotion: (ns, name) => store.latest(ns, name),
    promotions: (ns) => promotions.select({ namespace: ns }).map((p) => store.latest(ns, p.metadata.name ?? "") ?? p),
    environment: (ns, name) => environments.getByName(ns, name),
    environments: (ns) => environments.select({ namespace: ns }),
    release: (ns, name) => releases.getByName(ns, name),
    deployment: (ns, name) => deployments.getByName(ns, name),
    deployments: deploymentsOf,
    canaries: (ns, env) => canaries.select({ namespace: ns }).filter((c) => c.spec.environment === env),
    target: (ns, name) => targets.getByName(ns, name),
    gates: gatesByType(opts.gates ?? builtinGates),
    notifiers: new Map((opts.notifiers ?? builtinNotifiers).map((n) => [n.type, n])),
    secretValue: (ns) => secretValueReader(secrets, ns),
    createDeployment: (d) => deploymentClient.create(d),
    readDeployment: async (ns, name) => {
      try {
        return await deploymentClient.get(name, { namespace: ns });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    abortDeployment: async (ns, name) =>
      void (await deploymentClient.patch(name, { spec: { abort: true } }, { type: "merge", namespace: ns })),
    recordEvidence: (ns, name, spec, labels) => recordEvidence(client, ns, name, spec, labels),
    store,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    now: Date.now,
    log,
  });

  const open = (ns: string, match: (p: Promotion) => boolean): Request[] =>
    promotions
      .select({ namespace: ns })
      .filter((p) => !isTerminal(p.status?.phase) && match(p))
      .map((p) => ({ namespace: ns, name: p.metadata.name ?? "" }));
  const upstreamOf = (ns: string, env: string) => (p: Promotion) =>
    environments.getByName(ns, p.spec.environment)?.spec.upstream?.includes(env) ?? false;

  // A newer promotion wakes the older ones it may supersede.
  const newerWatch: WatchSpec<Promotion> = {
    kind: promotionKind,
    map: (n) =>
      open(
        n.metadata.namespace ?? "",
        (p) =>
          p.spec.environment === n.spec.environment &&
          p.metadata.name !== n.metadata.name &&
          SUPERSEDABLE.has(p.status?.phase ?? "Pending"),
      ),
    predicates: [{ update: (a, b) => a.status?.phase !== b.status?.phase, delete: () => false }],
  };
  const deploymentWatch: WatchSpec<Deployment> = {
    kind: deploymentKind,
    map: (d) => {
      const ns = d.metadata.namespace ?? "";
      const owners = (d.metadata.ownerReferences ?? [])
        .filter((r) => r.kind === "Promotion" && r.controller)
        .map((r) => ({ namespace: ns, name: r.name }));
      return [...owners, ...open(ns, upstreamOf(ns, d.spec.environment))];
    },
    predicates: [
      changed((d) => [d.status?.phase, d.status?.message, d.status?.completedAt, d.status?.rollback?.completedAt]),
    ],
  };
  const environmentWatch: WatchSpec<Environment> = {
    kind: environmentKind,
    map: (e) => {
      const ns = e.metadata.namespace ?? "";
      const name = e.metadata.name ?? "";
      return open(ns, (p) => p.spec.environment === name || upstreamOf(ns, name)(p));
    },
    predicates: [changed((e) => [e.metadata.generation, e.status?.current, e.status?.history?.[0]])],
  };
  const releaseWatch: WatchSpec<Release> = {
    kind: releaseKind,
    map: (r) => open(r.metadata.namespace ?? "", (p) => p.spec.release === r.metadata.name),
    predicates: [changed((r) => [r.status?.phase, r.status?.conditions?.map((c) => [c.type, c.status, c.reason])])],
  };
  return mgr.addController({
    name: "promotion",
    for: promotionKind,
    predicates: [promotionChanged()],
    watches: [newerWatch, deploymentWatch, environmentWatch, releaseWatch] as unknown as WatchSpec[],
    reconciler,
    concurrency: opts.concurrency ?? 4,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}

/** Promotion events that need a pass: a new one, a spec edit, new approvals, a deletion mark. */
export function promotionChanged(): Predicate<Promotion> {
  return {
    update: (a, b) =>
      a.metadata.generation !== b.metadata.generation ||
      !isDeepStrictEqual(a.status?.approvals, b.status?.approvals) ||
      a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp,
    delete: () => false,
  };
}

/** Lets updates through only when `view` of the object changed. */
function changed<T>(view: (obj: T) => unknown): { update: (a: T, b: T) => boolean } {
  return { update: (a, b) => !isDeepStrictEqual(view(a), view(b)) };
}
