// Roll back the deployment's environment: the same request as `stella rollback ENV` (a Deployment
// ENV-rollback-xxxxx with spec.rollback true of the environment's previous release), or, where the
// environment takes releases only through promotions, as `stella rollback ENV --promote` (a rollback
// Promotion, with a reason). Whether the user may is the server's answer to the same request as a
// dry run (dryRun=All), so roles and the environment's policy are judged as on the real click; a
// refusal disables the button and shows the server's reason. Nothing is sent before confirmation.
import { useEffect, useState } from "preact/hooks";
import type { Environment } from "../../../crds/environment.ts";
import { createObject } from "../api.ts";
import { Link, pathTo } from "../router.tsx";
import { useObject } from "../use-watch.ts";
import type { Obj } from "../watch.ts";

/** What a rollback of `env` creates: a Deployment, or a Promotion where promotions are required. */
export interface RollbackPlan {
  plural: "deployments" | "promotions";
  release: string;
}

/** The plan for `env` (as `stella rollback` decides), or why there is none. */
export function rollbackPlan(env: Environment): RollbackPlan | string {
  const name = env.metadata.name ?? "";
  const release = env.status?.previous?.release;
  if (!release) return `environment ${name} has no previous release to roll back to`;
  if (release === env.status?.current?.release) return `release ${release} is what ${name} runs now`;
  return { plural: env.spec.promotion?.required ? "promotions" : "deployments", release };
}

const body = (ns: string, env: string, plan: RollbackPlan, reason: string) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: plan.plural === "deployments" ? "Deployment" : "Promotion",
  metadata: { generateName: `${env}-rollback-`, namespace: ns },
  spec: { release: plan.release, environment: env, rollback: true, ...(reason ? { reason } : {}) },
});

const create = (ns: string, env: string, plan: RollbackPlan, reason: string, dryRun: boolean) =>
  createObject<Obj>(ns, plan.plural, body(ns, env, plan, reason), dryRun);

/** The rollback button of environment `envName`, with its confirmation. */
export function RollbackControl({ ns, envName }: { ns: string; envName: string }) {
  const { object: env } = useObject<Environment>(ns, "environments", envName);
  const plan = env ? rollbackPlan(env) : undefined;
  const key = typeof plan === "object" ? `${plan.plural}/${plan.release}` : plan;
  const [refusal, setRefusal] = useState<string | null>();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<{ text: string; created?: string; plural?: string }>();
  useEffect(() => {
    setRefusal(undefined);
    if (typeof plan !== "object") return;
    create(ns, envName, plan, "", true).then(
      () => setRefusal(null),
      (err: Error) => setRefusal(err.message),
    );
  }, [ns, envName, key]);
  if (!env || plan === undefined) return null;
  const why = typeof plan === "string" ? plan : refusal;
  const run = (p: RollbackPlan) => {
    setAsking(false);
    create(ns, envName, p, p.plural === "promotions" ? reason.trim() : "", false).then(
      (o) => setResult({ text: "Created", created: o.metadata.name, plural: p.plural }),
      (err: Error) => setResult({ text: err.message }),
    );
  };
  const target = typeof plan === "object" ? plan.release : "";
  const viaPromotion = typeof plan === "object" && plan.plural === "promotions";
  return (
    <div class="rollback">
      <button
        type="button"
        class="rollback-start"
        disabled={why !== null}
        aria-describedby={why ? "rollback-refusal" : undefined}
        onClick={() => setAsking(true)}
      >
        Roll back {envName}
        {target ? ` to ${target}` : ""}
      </button>
      {why === undefined && <p class="muted">Asking the server whether you may roll back…</p>}
      {why && (
        <p id="rollback-refusal" class="refusal">
          {why}
        </p>
      )}
      {asking && typeof plan === "object" && (
        <div role="alertdialog" aria-labelledby="rollback-title" class="confirm">
          <p id="rollback-title">
            Roll back environment {envName} to release {plan.release}?{" "}
            {viaPromotion
              ? `${envName} takes releases only through promotions: this creates a rollback Promotion, held by its gates and approvals.`
              : `This creates a Deployment of ${plan.release} into ${envName} at once.`}
          </p>
          {viaPromotion && (
            <>
              <label for="rollback-reason">Reason</label>
              <input id="rollback-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </>
          )}
          <button type="button" class="confirm-yes" onClick={() => run(plan)}>
            Confirm rollback
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      )}
      {result && (
        <p role="status" class="rollback-result">
          {result.text}{" "}
          {result.created && result.plural && (
            <Link href={pathTo(ns, result.plural, result.created)}>{result.created}</Link>
          )}
        </p>
      )}
    </div>
  );
}
