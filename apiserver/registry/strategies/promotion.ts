// A promotion moves one release into one environment; which ones is fixed at create (the kind's
// immutableFields, enforced by the store for every update, patch and apply).
// spec.requestedBy is the server's: set from the requester's token on create, never changed after.
// status.approvals is the approval subresource's: a status write (the controller's, or anyone's
// holding a token that may write status) can neither add, change nor remove a decision.
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { keepRequestedBy, setRequestedBy } from "./requested-by.ts";

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
 * ignored on update); status.approvals changes only through the approval subresource.
 */
export const promotionStrategy: Strategy = {
  prepareCreate: setRequestedBy,
  prepareUpdate(next, old, subresource) {
    if (subresource === "status") keepApprovals(next, old);
    else keepRequestedBy(next, old);
  },
};
