// Wiring the canary reconciler into a manager. A Canary is reconciled when its spec changes
// (promote, abort and retry patch it), when its release or environment changes (the release
// resolves, the stable deployment lands), and on the reconciler's own polls (pauses, analysis
// intervals, unit health, scale-down). Its own status writes do not wake it.
import { canaryKind, CANARY_TERMINAL_PHASES, type Canary } from "../../crds/canary.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { releaseKind, type Release } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { secretValueReader } from "../../sdk/secret-values.ts";
import { applyContextFor, DEFAULT_PORT_RANGE, HealthTracker, type PortRange } from "../deployment/index.ts";
import type { DriverPool } from "../drivers/index.ts";
import { recordEvidence } from "../evidence/index.ts";
import type { Controller, Logger, Manager, Request, WatchSpec } from "../runtime/index.ts";
import { generationChanged, recordNotes, StatusWriter, stderrLogger } from "../runtime/index.ts";
import { DriverUnits } from "./driver-units.ts";
import { canaryEvents } from "./events.ts";
import { CanaryReconciler } from "./reconciler.ts";
import { routerFor } from "./router.ts";

/** How the canary controller runs. */
export interface CanaryControllerOptions {
  /** The driver pool shared with the target and deployment controllers. */
  pool: DriverPool;
  /** Host ports: the deployment controller's range, so canary units get the free slot's ports. */
  ports?: PortRange;
  /** Canaries reconciled at once; default 4. */
  concurrency?: number;
  namespace?: string;
  log?: Logger;
}

/** Adds the canary controller to `mgr`; returns it. */
export function addCanaryController(mgr: Manager, opts: CanaryControllerOptions): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const canaries = mgr.informer<Canary>(canaryKind, scope).cache;
  const environments = mgr.informer<Environment>(environmentKind, scope).cache;
  const releases = mgr.informer<Release>(releaseKind, scope).cache;
  const targets = mgr.informer<Target>(targetKind, scope).cache;
  const secrets = mgr.client.resource<Secret>(secretKind);
  const writer = new StatusWriter(mgr.client.resource<Canary>(canaryKind), (ns, name) => canaries.getByName(ns, name));
  const log = opts.log ?? stderrLogger;
  const recorder = mgr.recorder("canary");
  const units = new DriverUnits({
    environment: (ns, name) => environments.getByName(ns, name),
    release: (ns, name) => releases.getByName(ns, name),
    targets: (ns) => targets.select({ namespace: ns }),
    canaries: (ns) => canaries.select({ namespace: ns }),
    drivers: opts.pool,
    applyContext: applyContextFor(secrets, log, "canary"),
    ports: opts.ports ?? DEFAULT_PORT_RANGE,
    health: new HealthTracker(Date.now),
  });
  const reconciler = new CanaryReconciler({
    canary: (ns, name) => writer.latest(ns, name),
    canaries: (ns) => canaries.select({ namespace: ns }).map((c) => writer.latest(ns, c.metadata.name ?? "") ?? c),
    environment: (ns, name) => environments.getByName(ns, name),
    walker: {
      router: routerFor,
      units,
      secretValue: (ns) => secretValueReader(secrets, ns),
      recordEvidence: (ns, name, spec, labels) => recordEvidence(mgr.client, ns, name, spec, labels),
      now: Date.now,
    },
    writeStatus: async (c) => {
      const before = writer.latest(c.metadata.namespace ?? "default", c.metadata.name ?? "")?.status;
      await writer.write(c);
      recordNotes(recorder, c, canaryEvents(c, before, c.status ?? {}));
    },
    log,
  });
  const open = (ns: string, match: (c: Canary) => boolean): Request[] =>
    canaries
      .select({ namespace: ns })
      .filter((c) => match(c) && !CANARY_TERMINAL_PHASES.includes(c.status?.phase ?? "Pending"))
      .map((c) => ({ namespace: ns, name: c.metadata.name ?? "" }));
  const releaseWatch: WatchSpec<Release> = {
    kind: releaseKind,
    map: (r) => open(r.metadata.namespace ?? "", (c) => c.spec.release === r.metadata.name),
  };
  const envWatch: WatchSpec<Environment> = {
    kind: environmentKind,
    map: (e) => open(e.metadata.namespace ?? "", (c) => c.spec.environment === e.metadata.name),
  };
  return mgr.addController({
    name: "canary",
    for: canaryKind,
    predicates: [generationChanged()],
    watches: [releaseWatch, envWatch] as unknown as WatchSpec[],
    reconciler,
    concurrency: opts.concurrency ?? 4,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
