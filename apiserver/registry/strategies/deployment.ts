// A deployment records who created it (spec.requestedBy, the server's): a person's `stella apply`
// or `stella rollback`, or the promotion controller for a promotion's deployment. Its evidence
// names them beside the controller that judged the outcome. Into an environment that requires
// promotions, only the promotion controller's deployment is accepted (promoted-only.ts).
import type { Strategy } from "../strategy.ts";
import { admitPromotedOnly } from "./promoted-only.ts";
import { keepRequestedBy, setRequestedBy } from "./requested-by.ts";

/** Deployment: spec.requestedBy is the creating caller (replaced on create, kept on update); see promoted-only.ts. */
export const deploymentStrategy: Strategy = {
  prepareCreate: setRequestedBy,
  admit: admitPromotedOnly,
  prepareUpdate(next, old, subresource) {
    if (subresource === undefined) keepRequestedBy(next, old);
  },
};
