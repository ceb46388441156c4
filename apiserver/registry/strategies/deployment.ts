// A deployment records who created it (spec.requestedBy, the server's): a person's `stella apply`
// or `stella rollback`, or the promotion controller for a promotion's deployment. Its evidence
// names them beside the controller that judged the outcome.
import type { Strategy } from "../strategy.ts";
import { keepRequestedBy, setRequestedBy } from "./requested-by.ts";

/** Deployment: spec.requestedBy is the creating caller (replaced on create, kept on update). */
export const deploymentStrategy: Strategy = {
  prepareCreate: setRequestedBy,
  prepareUpdate(next, old, subresource) {
    if (subresource === undefined) keepRequestedBy(next, old);
  },
};
