// Wiring the target reconciler into a manager: the Target informer's cache for reads, the sdk
// client for status writes, and a DriverPool that binds each target to a driver of the plugin
// list (credentials from Secrets through the controller's client). Spec changes, creation and
// deletion wake a target; periodic probes come from requeueAfter.
import { secretKind, type Secret } from "../../crds/secret.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import type { DriverPlugin } from "../../sdk/plugins/driver.ts";
import { builtinDrivers, DriverPool } from "../drivers/index.ts";
import type { Controller, Logger, Manager } from "../runtime/index.ts";
import { stderrLogger, generationChanged } from "../runtime/index.ts";
import { TargetReconciler } from "./reconciler.ts";

/** Default time between probes of one target. */
export const DEFAULT_PROBE_INTERVAL_MS = 30_000;
/** Default time one probe may take. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** How the target controller runs; every field has a default. */
export interface TargetControllerOptions {
  /** The driver plugins targets may name; builtinDrivers when absent. Ignored when `pool` is given. */
  drivers?: readonly DriverPlugin[];
  /** Bindings shared with other controllers; the caller then closes it. A new pool over `drivers` when absent. */
  pool?: DriverPool;
  /** Time between probes of one target, ms; default 30 s. */
  probeInterval?: number;
  /** Time one probe may take, ms; default 10 s. */
  probeTimeout?: number;
  /** Targets probed at once; default 4. */
  concurrency?: number;
  /** Only Targets of this namespace. */
  namespace?: string;
  log?: Logger;
}

/** The running target controller and the driver bindings it probes through. */
export interface TargetController {
  controller: Controller;
  /** Close it after the manager stopped (startControllers does). */
  pool: DriverPool;
}

/** Adds the target controller to `mgr`. */
export function addTargetController(mgr: Manager, opts: TargetControllerOptions = {}): TargetController {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const cache = mgr.informer<Target>(targetKind, scope).cache;
  const pool = opts.pool ?? new DriverPool(opts.drivers ?? builtinDrivers, mgr.client.resource<Secret>(secretKind));
  const reconciler = new TargetReconciler({
    events: mgr.recorder("target"),
    get: (namespace, name) => cache.getByName(namespace, name),
    targets: mgr.client.resource<Target>(targetKind),
    drivers: pool,
    probeInterval: opts.probeInterval ?? DEFAULT_PROBE_INTERVAL_MS,
    probeTimeout: opts.probeTimeout ?? DEFAULT_PROBE_TIMEOUT_MS,
    log: opts.log ?? stderrLogger,
  });
  const controller = mgr.addController({
    name: "target",
    for: targetKind,
    predicates: [generationChanged()],
    reconciler,
    concurrency: opts.concurrency ?? 4,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
  return { controller, pool };
}
