// Wiring the deployment reconciler into a manager. A Deployment is reconciled when its spec
// changes (pause, resume, abort, retry bump its generation), when its Release resolves, when the
// lock of its environment is let go, and on the reconciler's own polls (health, stagger,
// scale-down). Its own status writes do not wake it. Under the Canary strategy, its Canary's
// progress wakes it too.
import { isDeepStrictEqual } from "node:util";
import { canaryKind, type Canary } from "../../crds/canary.ts";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { leaseKind, type Lease } from "../../crds/lease.ts";
import { releaseKind, type Release } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { isNotFound } from "../../sdk/index.ts";
import type { DriverPlugin } from "../../sdk/plugins/driver.ts";
import { builtinDrivers, DriverPool } from "../drivers/index.ts";
import { recordEvidence } from "../evidence/index.ts";
import type { Controller, WatchSpec, Logger, Manager, Request } from "../runtime/index.ts";
import { stderrLogger, generationChanged, recordNotes, StatusWriter } from "../runtime/index.ts";
import { applyContextFor } from "./apply-context.ts";
import { deploymentEvents } from "./events.ts";
import { storeArtifacts } from "./artifacts.ts";
import { EnvironmentLocks } from "./lock.ts";
import { DEFAULT_PORT_RANGE, type PortRange } from "./ports.ts";
import { DeploymentReconciler } from "./reconciler.ts";

/** How the deployment controller runs; every field has a default. */
export interface DeploymentControllerOptions {
  /** Driver plugins; the built-in ones when absent. */
  drivers?: readonly DriverPlugin[];
  /** A pool to share with the target controller; one of its own when absent. */
  pool?: DriverPool;
  /** Host ports Stella assigns; 20000-29999 when absent. */
  ports?: PortRange;
  /** Deployments reconciled at once; default 4. */
  concurrency?: number;
  namespace?: string;
  log?: Logger;
}

/** Adds the deployment controller to `mgr`; returns it. */
export function addDeploymentController(mgr: Manager, opts: DeploymentControllerOptions = {}): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const deployments = mgr.informer<Deployment>(deploymentKind, scope).cache;
  const environments = mgr.informer<Environment>(environmentKind, scope).cache;
  const releases = mgr.informer<Release>(releaseKind, scope).cache;
  const targets = mgr.informer<Target>(targetKind, scope).cache;
  const canaries = mgr.informer<Canary>(canaryKind, scope).cache;
  const canaryClient = mgr.client.resource<Canary>(canaryKind);
  const secrets = mgr.client.resource<Secret>(secretKind);
  const pool = opts.pool ?? new DriverPool(opts.drivers ?? builtinDrivers, secrets);
  const writer = new StatusWriter(mgr.client.resource<Deployment>(deploymentKind), (ns, name) =>
    deployments.getByName(ns, name),
  );
  const log = opts.log ?? stderrLogger;
  const recorder = mgr.recorder("deployment");
  const reconciler = new DeploymentReconciler({
    deployment: (ns, name) => writer.latest(ns, name),
    deployments: (ns) =>
      deployments.select({ namespace: ns }).map((d) => writer.latest(ns, d.metadata.name ?? "") ?? d),
    environment: (ns, name) => environments.getByName(ns, name),
    release: (ns, name) => releases.getByName(ns, name),
    target: (ns, name) => targets.getByName(ns, name),
    targets: (ns) => targets.select({ namespace: ns }),
    drivers: pool,
    applyContext: applyContextFor(secrets, log, "deployment"),
    storeArtifacts: (ns, target, rendered) => storeArtifacts(mgr.client, ns, target, rendered),
    locks: new EnvironmentLocks(mgr.client),
    writeStatus: async (d, passed) => {
      const before = writer.latest(d.metadata.namespace ?? "default", d.metadata.name ?? "")?.status;
      await writer.write(d);
      recordNotes(recorder, d, deploymentEvents(d, before, d.status ?? {}, passed));
    },
    recordEvidence: (ns, name, spec, labels) => recordEvidence(mgr.client, ns, name, spec, labels),
    canaries: {
      cached: (ns, name) => canaries.getByName(ns, name),
      inEnvironment: (ns, env) => canaries.select({ namespace: ns }).filter((c) => c.spec.environment === env),
      create: (c) => canaryClient.create(c),
      read: async (ns, name) => {
        try {
          return await canaryClient.get(name, { namespace: ns });
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      },
      patchSpec: async (ns, name, spec) =>
        void (await canaryClient.patch(name, { spec }, { type: "merge", namespace: ns })),
    },
    ports: opts.ports ?? DEFAULT_PORT_RANGE,
    now: Date.now,
    log,
  });
  const open = (ns: string, match: (d: Deployment) => boolean): Request[] =>
    deployments
      .select({ namespace: ns })
      .filter(
        (d) =>
          match(d) &&
          !["Succeeded", "Failed", "RolledBack", "Aborted", "Superseded"].includes(d.status?.phase ?? "Pending"),
      )
      .map((d) => ({ namespace: ns, name: d.metadata.name ?? "" }));
  const releaseWatch: WatchSpec<Release> = {
    kind: releaseKind,
    map: (r) => open(r.metadata.namespace ?? "", (d) => d.spec.release === r.metadata.name),
  };
  const leaseWatch: WatchSpec<Lease> = {
    kind: leaseKind,
    map: (l) =>
      open(l.metadata.namespace ?? "", (d) => d.spec.environment === l.metadata.labels?.["stella.io/environment"]),
  };
  const envWatch: WatchSpec<Environment> = {
    kind: environmentKind,
    map: (e) =>
      open(
        e.metadata.namespace ?? "",
        (d) => d.spec.environment === e.metadata.name && (d.status?.phase ?? "Pending") === "Pending",
      ),
  };
  // A new deployment supersedes the older ones queued for its environment: wake them.
  const queueWatch: WatchSpec<Deployment> = {
    kind: deploymentKind,
    map: (n) =>
      open(
        n.metadata.namespace ?? "",
        (d) =>
          d.spec.environment === n.spec.environment &&
          d.metadata.name !== n.metadata.name &&
          (d.status?.phase ?? "Pending") === "Pending",
      ),
    predicates: [{ update: () => false, delete: () => false }],
  };
  // A Canary-strategy deployment follows its Canary's phase, step and weight.
  const progressOf = (c: Canary) => {
    const s = c.status;
    return [s?.phase, s?.currentStepIndex, s?.currentWeight, s?.message, s?.observedRetry];
  };
  const canaryWatch: WatchSpec<Canary> = {
    kind: canaryKind,
    map: (c) =>
      (c.metadata.ownerReferences ?? [])
        .filter((r) => r.kind === "Deployment" && r.controller)
        .map((r) => ({ namespace: c.metadata.namespace ?? "", name: r.name })),
    predicates: [{ update: (a, b) => !isDeepStrictEqual(progressOf(a), progressOf(b)) }],
  };
  return mgr.addController({
    name: "deployment",
    for: deploymentKind,
    predicates: [generationChanged()],
    watches: [releaseWatch, leaseWatch, envWatch, queueWatch, canaryWatch] as unknown as WatchSpec[],
    reconciler,
    concurrency: opts.concurrency ?? 4,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
