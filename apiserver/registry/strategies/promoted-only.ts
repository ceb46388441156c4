// An environment with spec.promotion.required takes releases only through promotions: a
// Deployment into it must be the one the promotion controller creates for a Promotion of the same
// release and environment that is Deploying — so it has passed every gate and approval. A person's
// Deployment (a direct `stella apply` or `stella rollback ENV`) is refused, naming the policy; a
// controller naming a made-up, unfinished or mismatched promotion is refused too.
import { forbidden } from "../../../crds/errors.ts";
import type { DeploymentSpec } from "../../../crds/deployment.ts";
import { deploymentKind } from "../../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../../crds/environment.ts";
import { promotionRequired } from "../../../crds/environment-policy.ts";
import { promotionKind, type Promotion } from "../../../crds/promotion.ts";
import { errorTarget } from "../keys.ts";
import type { Admission } from "../strategy.ts";

/** The role the promotion controller runs as (cli/server/server-command.ts issues its token). */
export const PROMOTER_ROLE = "controller";

/** Refuses creating Deployment `a.next` unless its environment takes it (see the file comment). */
export async function admitPromotedOnly(a: Admission): Promise<void> {
  if (a.verb !== "create" || !a.next || a.roles === undefined) return;
  const spec = a.next.spec as DeploymentSpec;
  const env = (await a.read(environmentKind, spec.environment)) as Environment | undefined;
  if (!env || !promotionRequired(env.spec)) return;
  const refuse = (why: string) => {
    const policy = `environment "${spec.environment}" takes releases only through promotions (spec.promotion.required)`;
    return forbidden(`${policy}: ${why}`, errorTarget(deploymentKind, a.next?.metadata.name));
  };
  if (!a.roles.includes(PROMOTER_ROLE)) {
    const who = a.requester?.username ?? "unknown";
    throw refuse(
      `user "${who}" may not deploy into it directly; create a Promotion of release "${spec.release}" to ` +
        `"${spec.environment}" instead (to roll back: stella rollback ${spec.environment} --promote)`,
    );
  }
  if (!spec.promotion) throw refuse("spec.promotion must name the Promotion this deployment carries out");
  const p = (await a.read(promotionKind, spec.promotion)) as Promotion | undefined;
  if (!p) throw refuse(`spec.promotion names promotion "${spec.promotion}", which does not exist`);
  if (p.spec.release !== spec.release || p.spec.environment !== spec.environment)
    throw refuse(`promotion "${spec.promotion}" promotes release "${p.spec.release}" to "${p.spec.environment}"`);
  const phase = p.status?.phase ?? "Pending";
  if (phase !== "Deploying")
    throw refuse(`promotion "${spec.promotion}" is ${phase}, not Deploying: it has not passed its gates and approvals`);
}
