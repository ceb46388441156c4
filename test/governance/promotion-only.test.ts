// An environment with spec.promotion.required takes releases only through promotions: direct
// Deployments (a person's, or a controller's naming a made-up or unfinished promotion) are refused.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { inPhase, promotion } from "../approvals/approval-env.ts";
import { deploymentInto, must, NS, seedGovernance, tokenFor } from "./governance-env.ts";

describe("promotion-only environments", () => {
  let env: TestEnv;
  let olga: string;
  let controller: string;
  before(async () => {
    env = await startEnv();
    await seedGovernance(env);
    olga = await tokenFor(env, "olga", ["operator"]);
    controller = await env.token("stella-controllers", "controller", "*");
  });
  after(() => env.stop());
  const create = (body: unknown, token: string) =>
    env.request("POST", collection("deployments", NS), body, { authorization: `Bearer ${token}` });

  test("a person's direct Deployment, a rollback included, is refused naming the policy; admins too", async () => {
    for (const token of [olga, env.adminToken]) {
      const res = await create(
        { ...deploymentInto("direct", "prod"), spec: { release: "shop-1-4-0", environment: "prod", rollback: true } },
        token,
      );
      assert.equal(res.status, 403, res.text);
      assert.match(
        res.body.message,
        /environment "prod" takes releases only through promotions \(spec\.promotion\.required\)/,
      );
      assert.match(res.body.message, /stella rollback prod --promote/);
    }
    await must(create(deploymentInto("to-dev", "dev"), olga), 201);
  });

  test("the controller's Deployment must name an existing promotion of the same release and environment that is Deploying", async () => {
    const made = await create(deploymentInto("made-up", "prod", "no-such-promotion"), controller);
    assert.equal(made.status, 403, made.text);
    assert.match(made.body.message, /promotion "no-such-promotion", which does not exist/);
    const missing = await create(deploymentInto("unnamed", "prod"), controller);
    assert.match(missing.body.message, /spec\.promotion must name the Promotion/);

    await must(
      env.request("POST", collection("promotions", NS), promotion("to-prod", "prod"), {
        authorization: `Bearer ${olga}`,
      }),
      201,
    );
    await inPhase(env, "to-prod", "AwaitingApproval");
    const early = await create(deploymentInto("to-prod", "prod", "to-prod"), controller);
    assert.equal(early.status, 403, early.text);
    assert.match(early.body.message, /promotion "to-prod" is AwaitingApproval, not Deploying/);

    await must(
      env.request("POST", collection("promotions", NS), promotion("to-dev", "dev"), {
        authorization: `Bearer ${olga}`,
      }),
      201,
    );
    await inPhase(env, "to-dev", "Deploying");
    const other = await create(deploymentInto("borrowed", "prod", "to-dev"), controller);
    assert.equal(other.status, 403, other.text);
    assert.match(other.body.message, /promotion "to-dev" promotes release "shop-1-4-0" to "dev"/);

    await inPhase(env, "to-prod", "Deploying");
    await must(create(deploymentInto("to-prod", "prod", "to-prod"), controller), 201);
  });
});
