// A promotion moves one release into one environment; which ones may not change after it started.
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { immutableFields } from "./immutable.ts";

const started = (obj: StellaObject) => {
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  return phase !== undefined && phase !== "Pending";
};

/** Promotion: spec.release and spec.environment are immutable once the promotion left Pending. */
export const promotionStrategy: Strategy = {
  validateUpdate(next, old, subresource) {
    if (subresource === "status" || !started(old)) return [];
    return immutableFields(next, old, ["spec.release", "spec.environment"], "after the promotion started");
  },
};
