// A promotion moves one release into one environment; which ones may not change after it started.
// spec.requestedBy is the server's: set from the requester's token on create, never changed after.
// status.approvals is the approval subresource's: a status write (the controller's, or anyone's
// holding a token that may write status) can neither add, change nor remove a decision.
import type { StellaObject, UserInfo } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { immutableFields } from "./immutable.ts";

const started = (obj: StellaObject) => {
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  return phase !== undefined && phase !== "Pending";
};

type Spec = { requestedBy?: UserInfo } | undefined;
type Status = { approvals?: unknown[] } & Record<string, unknown>;

/** `next` with the approvals `old` has, whatever the status write sent. */
function keepApprovals(next: StellaObject, old: StellaObject): void {
  const was = (old.status as Status | undefined)?.approvals;
  const status = next.status as Status | undefined;
  if (!status || typeof status !== "object") {
    if (was !== undefined) next.status = { approvals: was };
    return;
  }
  if (was === undefined) delete status.approvals;
  else status.approvals = was;
}

/**
 * Promotion: spec.requestedBy is the creating caller (any value sent is replaced on create and
 * ignored on update); spec.release and spec.environment are immutable once the promotion left Pending.
 */
export const promotionStrategy: Strategy = {
  prepareCreate(obj, requester) {
    if (!requester) return;
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    spec.requestedBy = requester.groups?.length ? { username: requester.username, groups: [...requester.groups] } : { username: requester.username };
    obj.spec = spec;
  },
  prepareUpdate(next, old, subresource) {
    if (subresource === "status") keepApprovals(next, old);
    const was = (old.spec as Spec)?.requestedBy;
    const spec = next.spec as Record<string, unknown> | undefined;
    if (!spec || typeof spec !== "object") return;
    if (was === undefined) delete spec.requestedBy;
    else spec.requestedBy = was;
  },
  validateUpdate(next, old, subresource) {
    if (subresource !== undefined || !started(old)) return [];
    return immutableFields(next, old, ["spec.release", "spec.environment"], "after the promotion started");
  },
};
