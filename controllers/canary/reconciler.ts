// The canary reconciler: one pass over a stored Canary. It fixes the stable release in status,
// has the canary units started beside the stable ones and waits until they are healthy
// (driver-units.ts), then lets the walker go as far as it can (walk.ts) and writes status. Status
// alone carries the step, the verified weight and the analysis runs, so a restarted controller
// resumes at the same step without moving weights back. A terminal canary still removes the old
// stable units when its scale-down is due; an Aborted or Failed one whose spec.retry was raised
// starts again from its first step.
import { isDeepStrictEqual } from "node:util";
import { type Canary, CANARY_TERMINAL_PHASES, type CanaryStatus } from "../../crds/canary.ts";
import type { Environment } from "../../crds/environment.ts";
import type { RouteTarget } from "../../sdk/plugins/router.ts";
import type { Logger, Reconciler, Request, Result } from "../runtime/index.ts";
import type { CanaryDeps, CanaryUnits } from "./deps.ts";
import { CanaryUnitsError } from "./errors.ts";
import { stableReleaseOf } from "./stable.ts";
import { retried } from "./status.ts";
import { unitTrouble } from "./unit-trouble.ts";
import { walk, type WalkResult } from "./walk.ts";

/** Phases `stella canary retry` runs again (spec.retry above status.observedRetry). */
const RETRYABLE: readonly string[] = ["Aborted", "Failed"];

/** How often a canary that is not terminal is looked at even when nothing wakes it (unit health). */
export const RECHECK_MS = 5000;

/** The reconciler's view of the world. */
export interface CanaryReconcilerDeps {
  canary(namespace: string, name: string): Canary | undefined;
  canaries(namespace: string): Canary[];
  environment(namespace: string, name: string): Environment | undefined;
  /** The walker's dependencies; `units` starts and removes the units through the drivers. */
  walker: CanaryDeps;
  writeStatus(c: Canary): Promise<void>;
  log: Logger;
}

/** Runs canaries. */
export class CanaryReconciler implements Reconciler {
  constructor(private readonly deps: CanaryReconcilerDeps) {}

  async reconcile({ namespace, name }: Request): Promise<Result | void> {
    const found = this.deps.canary(namespace, name);
    if (!found || found.metadata.deletionTimestamp) return;
    const old: CanaryStatus = found.status ?? {};
    const retry = found.spec.retry ?? 0;
    const retrying = RETRYABLE.includes(old.phase ?? "") && retry > (old.observedRetry ?? 0);
    const status: CanaryStatus = retrying ? retried(old, retry, this.deps.walker.now()) : { ...old };
    const terminal = status.phase !== undefined && CANARY_TERMINAL_PHASES.includes(status.phase);
    if (!terminal) {
      const env = this.deps.environment(namespace, found.spec.environment);
      const stable = stableReleaseOf(found, env, this.deps.canaries(namespace));
      if (stable) status.stableRelease = stable;
    }
    const canary: Canary = { ...found, status };
    const result = terminal ? await walk(canary, this.deps.walker) : await this.#pass(canary);
    const next = { ...result.status, observedGeneration: found.metadata.generation };
    if (!isDeepStrictEqual(next, old)) {
      await this.deps.writeStatus({ ...found, status: next });
      if (next.phase !== old.phase)
        this.deps.log.info("canary phase", {
          canary: `${namespace}/${name}`,
          phase: next.phase,
          message: next.message,
        });
    }
    const done = next.phase !== undefined && CANARY_TERMINAL_PHASES.includes(next.phase);
    const requeue = done ? result.requeueAfter : Math.min(result.requeueAfter ?? RECHECK_MS, RECHECK_MS);
    return requeue === undefined ? undefined : { requeueAfter: requeue };
  }

  /** The units first, then the walker over the route they give. */
  async #pass(canary: Canary): Promise<WalkResult> {
    const units = this.deps.walker.units;
    let route: RouteTarget;
    try {
      route = await units.ensure(canary);
    } catch (err) {
      if (!(err instanceof CanaryUnitsError)) throw err;
      return unitTrouble(canary, structuredClone(canary.status ?? {}), err, this.deps.walker);
    }
    // The units answer: the wait for them (spec.progressDeadline) is over.
    const { unitsWaitingSince: _, ...status } = canary.status ?? {};
    const bound: CanaryUnits = {
      ensure: async () => route,
      removeCanary: (c, s) => units.removeCanary(c, s),
      removeStable: (c, s) => units.removeStable(c, s),
    };
    return walk({ ...canary, status }, { ...this.deps.walker, units: bound });
  }
}
