// Wiring the environment reconciler into a manager. An Environment is reconciled when its spec
// changes, when a Target of its namespace changes what the environment shows of it (labels,
// driver, cordoned or not, readiness), when one of its Deployments changes phase, lands or rolls
// back, and when one of its Canaries ends (a standalone canary's success lands its release).
import { isDeepStrictEqual } from "node:util";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { TargetConditions, targetKind, type Target } from "../../crds/target.ts";
import { findCondition, stderrLogger, generationChanged } from "../runtime/index.ts";
import type { Controller, WatchSpec, Logger, Manager, Predicate } from "../runtime/index.ts";
import { EnvironmentReconciler } from "./reconciler.ts";

/** How the environment controller runs; every field has a default. */
export interface EnvironmentControllerOptions {
  /** Environments reconciled at once; default 2. */
  concurrency?: number;
  /** Only this namespace. */
  namespace?: string;
  log?: Logger;
}

/** Adds the environment controller to `mgr`; returns it. */
export function addEnvironmentController(mgr: Manager, opts: EnvironmentControllerOptions = {}): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const environments = mgr.informer<Environment>(environmentKind, scope).cache;
  const targets = mgr.informer<Target>(targetKind, scope).cache;
  const deployments = mgr.informer<Deployment>(deploymentKind, scope).cache;
  const canaries = mgr.informer<Canary>(canaryKind, scope).cache;
  const reconciler = new EnvironmentReconciler({
    events: mgr.recorder("environment"),
    getEnvironment: (namespace, name) => environments.getByName(namespace, name),
    targets: (namespace) => targets.select({ namespace }),
    deployments: (namespace) => deployments.select({ namespace }),
    canaries: (namespace) => canaries.select({ namespace }),
    environments: mgr.client.resource<Environment>(environmentKind),
    log: opts.log ?? stderrLogger,
  });
  // A Target may leave or join any selector of its namespace; waking all of them is simplest and correct.
  const targetWatch: WatchSpec<Target> = {
    kind: targetKind,
    map: (t) =>
      environments
        .select({ namespace: t.metadata.namespace ?? "" })
        .map((e) => ({ namespace: e.metadata.namespace ?? "", name: e.metadata.name ?? "" })),
    predicates: [changedIn(targetView)],
  };
  const deploymentWatch: WatchSpec<Deployment> = {
    kind: deploymentKind,
    map: (d) => [{ namespace: d.metadata.namespace ?? "", name: d.spec.environment }],
    predicates: [changedIn(deploymentView)],
  };
  const canaryWatch: WatchSpec<Canary> = {
    kind: canaryKind,
    map: (c) => [{ namespace: c.metadata.namespace ?? "", name: c.spec.environment }],
    predicates: [changedIn((c: Canary) => [c.status?.phase, c.status?.completedAt])],
  };
  return mgr.addController({
    name: "environment",
    for: environmentKind,
    predicates: [generationChanged()],
    watches: [
      targetWatch as unknown as WatchSpec,
      deploymentWatch as unknown as WatchSpec,
      canaryWatch as unknown as WatchSpec,
    ],
    reconciler,
    concurrency: opts.concurrency ?? 2,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}

/** What an environment shows of a Target. */
export const targetView = (t: Target): unknown => {
  const ready = findCondition(t.status?.conditions, TargetConditions.Ready);
  return [t.metadata.labels ?? {}, t.spec.driver, t.spec.unschedulable === true, ready?.status, ready?.reason];
};

/** What an environment derives from a Deployment. */
export const deploymentView = (d: Deployment): unknown => {
  const s = d.status ?? {};
  return [
    s.phase,
    s.startedAt,
    s.completedAt,
    s.rollback?.release,
    s.rollback?.completedAt,
    d.spec.promotion,
    d.spec.rollback,
  ];
};

/** Lets updates through only when `view` of the object changed. */
export function changedIn<T extends StellaObject>(view: (obj: T) => unknown): Predicate<T> {
  return { update: (old, obj) => !isDeepStrictEqual(view(old), view(obj)) };
}
