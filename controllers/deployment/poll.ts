// How often a deployment that is still rolling (forward or back) is looked at: as often as its
// components' health checks probe, sooner when a stagger ends, within fixed bounds.
import type { TargetRollout } from "../../crds/deployment.ts";
import type { StepContext } from "./context.ts";
import { probeInterval } from "./health.ts";
import { staggerEndsAt } from "./plan.ts";

/** How often a progressing deployment is looked at, at most and at least. */
const POLL = { minMs: 200, maxMs: 5000 } as const;

/** When to look again at a deployment that is still rolling (forward or back). */
export function pollAfter(ctx: StepContext, targets: readonly TargetRollout[], now: number): number {
  const intervals = ctx.release.spec.components.map((c) => probeInterval(c.healthCheck));
  let wait = Math.min(POLL.maxMs, ...intervals);
  const stagger = staggerEndsAt(ctx.settings.strategy, targets);
  if (stagger !== undefined && stagger > now) wait = Math.min(wait, stagger - now);
  return Math.max(POLL.minMs, wait);
}
