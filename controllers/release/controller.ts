// Wiring the release reconciler into a manager: the Release informer's cache for reads, the sdk
// client for status writes and Secrets, one registry client shared by all reconciles. Only spec
// changes (new generation) and creation wake a release; retries come from requeueAfter.
import { releaseKind, type Release } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import type { SignatureVerifier } from "../../sdk/plugins/signature-verifier.ts";
import type { Controller, Logger, Manager } from "../runtime/index.ts";
import { stderrLogger, generationChanged } from "../runtime/index.ts";
import { RegistryClient } from "../oci/index.ts";
import { ReleaseReconciler } from "./reconciler.ts";
import { RetrySchedule, type RetryOptions } from "./retry.ts";

/** How the release controller runs; every field has a default. */
export interface ReleaseControllerOptions {
  /** The registry client; a new one (10 s per request) when absent. */
  registry?: RegistryClient;
  /** Signature verifiers by name; none when absent (a Release requiring signatures then reports PluginNotFound). */
  verifiers?: readonly SignatureVerifier[];
  retry?: RetryOptions;
  /** Releases reconciled at once; default 2. */
  concurrency?: number;
  /** Only Releases of this namespace. */
  namespace?: string;
  /** Where the reconciler and the controller log; stderr JSON lines when absent. */
  log?: Logger;
}

/** Adds the release controller to `mgr`; returns it (its stats and queue are there for tests). */
export function addReleaseController(mgr: Manager, opts: ReleaseControllerOptions = {}): Controller {
  const scope = opts.namespace === undefined ? {} : { namespace: opts.namespace };
  const cache = mgr.informer<Release>(releaseKind, scope).cache;
  const log = opts.log ?? stderrLogger;
  const reconciler = new ReleaseReconciler({
    events: mgr.recorder("release"),
    get: (namespace, name) => cache.getByName(namespace, name),
    releases: mgr.client.resource<Release>(releaseKind),
    secrets: mgr.client.resource<Secret>(secretKind),
    registry: opts.registry ?? new RegistryClient(),
    verifiers: new Map((opts.verifiers ?? []).map((v) => [v.name, v])),
    retry: new RetrySchedule(opts.retry),
    log,
  });
  return mgr.addController({
    name: "release",
    for: releaseKind,
    predicates: [generationChanged()],
    reconciler,
    concurrency: opts.concurrency ?? 2,
    namespace: opts.namespace,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
