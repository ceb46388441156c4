// A Release means exactly the bytes its digests name: once resolved, its components are frozen.
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { immutableFields } from "./immutable.ts";

interface ConditionLike {
  type?: string;
  status?: string;
}

/** Whether the release controller has resolved every component to a digest. */
export function isResolved(obj: StellaObject): boolean {
  const status = obj.status as { conditions?: ConditionLike[] } | undefined;
  return (status?.conditions ?? []).some((c) => c.type === "Resolved" && c.status === "True");
}

/** Release: spec.components and spec.version are immutable once resolved; resolved digests in status stay put. */
export const releaseStrategy: Strategy = {
  validateUpdate(next, old, subresource) {
    if (!isResolved(old)) return [];
    if (subresource === "status")
      return immutableFields(next, old, ["status.components"], "once the release is resolved");
    return immutableFields(
      next,
      old,
      ["spec.components", "spec.version"],
      "once the release is resolved (create a new Release instead)",
    );
  },
};
