// The strategies as pure decisions over the frozen target list. Targets are put in batches when
// the deployment starts: AllAtOnce and BlueGreen run one batch of every target; Rolling runs
// batches of maxParallel targets in name order, each after the one before has finished and
// `stagger` has passed. BlueGreen differs in what happens after health: see cutover in step.ts.
import type { DeploymentStrategy } from "../../crds/deployment-strategy.ts";
import type { TargetRollout } from "../../crds/deployment.ts";
import { millis } from "./settings.ts";

/** The batch of the i-th target (in name order). */
export function batchOf(strategy: DeploymentStrategy, index: number): number {
  return strategy.type === "Rolling" ? Math.floor(index / (strategy.maxParallel ?? 1)) : 0;
}

const finished = (t: TargetRollout): boolean =>
  t.phase === "Succeeded" || t.phase === "Failed" || t.phase === "RolledBack";

/** The batch that runs now: the lowest with an unfinished target; undefined when all are finished. */
export function currentBatch(targets: readonly TargetRollout[]): number | undefined {
  const open = targets.filter((t) => !finished(t)).map((t) => t.batch ?? 0);
  return open.length ? Math.min(...open) : undefined;
}

/**
 * The Pending targets to start now. `now` and the previous batch's completion times decide the
 * stagger; a paused deployment starts nothing new.
 */
export function targetsToStart(
  strategy: DeploymentStrategy,
  targets: readonly TargetRollout[],
  now: number,
  paused: boolean,
): TargetRollout[] {
  if (paused) return [];
  const batch = currentBatch(targets);
  if (batch === undefined) return [];
  const due = targets.filter((t) => t.phase === "Pending" && (t.batch ?? 0) === batch);
  if (due.length === 0 || batch === 0) return due;
  const stagger = millis(strategy.stagger);
  const previousDone = Math.max(
    ...targets
      .filter((t) => (t.batch ?? 0) === batch - 1 && t.completedAt)
      .map((t) => Date.parse(t.completedAt as string)),
  );
  return Number.isFinite(previousDone) && now - previousDone < stagger ? [] : due;
}

/** When the next batch may start, if the stagger holds it back. */
export function staggerEndsAt(strategy: DeploymentStrategy, targets: readonly TargetRollout[]): number | undefined {
  const batch = currentBatch(targets);
  const stagger = millis(strategy.stagger);
  if (batch === undefined || batch === 0 || stagger === 0) return undefined;
  const done = targets
    .filter((t) => (t.batch ?? 0) === batch - 1 && t.completedAt)
    .map((t) => Date.parse(t.completedAt as string));
  return done.length ? Math.max(...done) + stagger : undefined;
}

/** Whether failed targets exceed what maxFailureRatio allows (0 when omitted: any failure fails). */
export function failureBudgetExceeded(strategy: DeploymentStrategy, targets: readonly TargetRollout[]): boolean {
  const failed = targets.filter((t) => t.phase === "Failed").length;
  return failed > Math.floor((strategy.maxFailureRatio ?? 0) * targets.length);
}

/** Rolling with maxUnavailable >= 1 stops the old units before starting the new ones. */
export const stopsFirst = (strategy: DeploymentStrategy): boolean =>
  strategy.type === "Rolling" && (strategy.maxUnavailable ?? 0) >= 1;
