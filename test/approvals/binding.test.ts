// Approve, then swap the release (issue 11): what a promotion promotes is fixed at create, people
// decide only once it awaits approval, and each decision records the release digests and policy
// digest it was given for, read by the server from the stored objects.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { policyDigest } from "../../crds/environment-policy.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import {
  as,
  decide,
  inPhase,
  must,
  NS,
  promotion,
  promotionUrl,
  resolvedRelease,
  seed,
  tokenFor,
  WEB_DIGEST,
} from "./approval-env.ts";

const MERGE = { "content-type": "application/merge-patch+json" };

describe("approval binding", () => {
  let env: TestEnv;
  let olga: string;
  let bob: string;
  before(async () => {
    env = await startEnv();
    await seed(env);
    await resolvedRelease(env, "evil", `sha256:${"e".repeat(64)}`);
    [olga, bob] = await Promise.all([tokenFor(env, "olga", ["operator"]), tokenFor(env, "bob", ["approver"])]);
  });
  after(() => env.stop());

  test("a promotion's release and environment can not change after create, whatever its phase", async () => {
    await must(env.request("POST", collection("promotions", NS), promotion("swap", "staging"), as(olga)), 201);
    for (const spec of [{ release: "evil" }, { environment: "dev" }]) {
      const res = await env.request("PATCH", promotionUrl("swap"), { spec }, { ...as(olga), ...MERGE });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.details.causes[0].field, `spec.${Object.keys(spec)[0]}`);
      assert.match(res.body.details.causes[0].message, /immutable/);
    }
    assert.equal((await must(env.request("GET", promotionUrl("swap")), 200)).body.spec.release, "shop-1-4-0");
  });

  test("decisions before AwaitingApproval are refused with 409 naming the phase", async () => {
    await must(env.request("POST", collection("promotions", NS), promotion("early", "staging"), as(olga)), 201);
    for (const phase of ["Pending", "Evaluating"]) {
      if (phase !== "Pending") await inPhase(env, "early", phase);
      const res = await decide(env, bob, "early", { decision: "Approved" });
      assert.equal(res.status, 409, res.text);
      assert.match(res.body.message, new RegExp(`the promotion is ${phase}: .*only while it is AwaitingApproval`));
    }
  });

  test("an approval records the release's digests and the policy digest, from the server's objects", async () => {
    await must(env.request("POST", collection("promotions", NS), promotion("bound", "staging"), as(olga)), 201);
    await inPhase(env, "bound");
    const res = await must(decide(env, bob, "bound", { decision: "Approved" }), 200);
    const staging = (await must(env.request("GET", `${collection("environments", NS)}/staging`), 200)).body;
    assert.deepEqual(res.body.status.approvals[0].binding, {
      release: "shop-1-4-0",
      digests: [`web=127.0.0.1:5000/shop/web@${WEB_DIGEST}`],
      policyDigest: policyDigest(staging.spec),
    });
    const forged = await decide(env, bob, "bound", { decision: "Approved", binding: { release: "evil" } });
    assert.equal(forged.status, 422, "the body can not carry a binding");
  });

  test("after a policy change an earlier approval is void, and its author may approve again", async () => {
    await must(env.request("POST", collection("promotions", NS), promotion("rebind", "prod"), as(olga)), 201);
    await inPhase(env, "rebind");
    await must(decide(env, bob, "rebind", { decision: "Approved" }), 200);
    const again = await decide(env, bob, "rebind", { decision: "Approved" });
    assert.equal(again.status, 409, "while it holds, one decision per person");
    const patch = {
      spec: { approvals: { required: 1, separationOfDuties: true, approvers: { users: ["bob", "carol"] } } },
    };
    await must(env.request("PATCH", `${collection("environments", NS)}/prod`, patch, MERGE), 200);
    const res = await must(decide(env, bob, "rebind", { decision: "Approved" }), 200);
    const digests = res.body.status.approvals.map((a: { binding: { policyDigest: string } }) => a.binding.policyDigest);
    assert.equal(digests.length, 2);
    assert.notEqual(digests[0], digests[1]);
  });
});
