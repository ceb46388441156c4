// The auto-promotion reconciler, keyed on Environments: an environment is looked at when its spec
// changes (autoPromote switched on) and when a Deployment or a standalone Canary lands in one of
// its upstream environments. It creates at most one Promotion per pass; AlreadyExists means it exists already.
import { isDeepStrictEqual } from "node:util";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { isAlreadyExists } from "../../crds/errors.ts";
import { promotionKind, type Promotion } from "../../crds/promotion.ts";
import type { Controller, WatchSpec, Logger, Manager, Reconciler, Request, Result } from "../runtime/index.ts";
import { stderrLogger, generationChanged } from "../runtime/index.ts";
import { autoPromotion, autoPromotionCandidate } from "./auto-promote.ts";

/** What the auto-promotion reconciler reads and writes through. */
export interface AutoPromoteDeps {
  environment(namespace: string, name: string): Environment | undefined;
  deployments(namespace: string, environment: string): Deployment[];
  canaries(namespace: string, environment: string): Canary[];
  promotions(namespace: string): Promotion[];
  createPromotion(p: Promotion): Promise<unknown>;
  log: Logger;
}

/** Creates promotions for environments with spec.promotion.autoPromote. */
export class AutoPromoteReconciler implements Reconciler {
  constructor(private readonly deps: AutoPromoteDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const env = this.deps.environment(namespace, name);
    if (!env || env.metadata.deletionTimestamp) return;
    const candidate = autoPromotionCandidate(
      env,
      (e) => this.deps.deployments(namespace, e),
      this.deps.promotions(namespace),
      (e) => this.deps.canaries(namespace, e),
    );
    if (!candidate) return;
    const promotion = autoPromotion(env, candidate);
    try {
      await this.deps.createPromotion(promotion);
      this.deps.log.info("auto-promotion created", {
        environment: `${namespace}/${name}`,
        promotion: promotion.metadata.name,
        release: candidate.release,
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

/** How the auto-promotion controller runs. */
export interface AutoPromoteControllerOptions {
  namespace?: string;
  log?: Logger;
}

/** Adds the auto-promotion controller to `mgr`; returns it. */
export function addAutoPromoteController(mgr: Manager, opts: AutoPromoteControllerOptions = {}): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const environments = mgr.informer<Environment>(environmentKind, scope).cache;
  const deployments = mgr.informer<Deployment>(deploymentKind, scope).cache;
  const canaries = mgr.informer<Canary>(canaryKind, scope).cache;
  const promotions = mgr.informer<Promotion>(promotionKind, scope).cache;
  const promotionClient = mgr.client.resource<Promotion>(promotionKind);
  const reconciler = new AutoPromoteReconciler({
    environment: (ns, name) => environments.getByName(ns, name),
    deployments: (ns, env) => deployments.select({ namespace: ns }).filter((d) => d.spec.environment === env),
    canaries: (ns, env) => canaries.select({ namespace: ns }).filter((c) => c.spec.environment === env),
    promotions: (ns) => promotions.select({ namespace: ns }),
    createPromotion: (p) => promotionClient.create(p),
    log: opts.log ?? stderrLogger,
  });
  // A deployment or canary that lands wakes every auto-promoting environment downstream of its own.
  const downstream = (o: Deployment | Canary): Request[] =>
    environments
      .select({ namespace: o.metadata.namespace ?? "" })
      .filter((e) => e.spec.promotion?.autoPromote && e.spec.upstream?.includes(o.spec.environment))
      .map((e) => ({ namespace: e.metadata.namespace ?? "", name: e.metadata.name ?? "" }));
  const landing = {
    update: (a: Deployment | Canary, b: Deployment | Canary) =>
      !isDeepStrictEqual([a.status?.phase, a.status?.completedAt], [b.status?.phase, b.status?.completedAt]),
    delete: () => false,
  };
  const deploymentWatch: WatchSpec<Deployment> = { kind: deploymentKind, map: downstream, predicates: [landing] };
  const canaryWatch: WatchSpec<Canary> = { kind: canaryKind, map: downstream, predicates: [landing] };
  return mgr.addController({
    name: "auto-promote",
    for: environmentKind,
    predicates: [generationChanged()],
    watches: [deploymentWatch, canaryWatch] as unknown as WatchSpec[],
    reconciler,
    concurrency: 1,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
