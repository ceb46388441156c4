// Changing an environment's policy takes a role other than the one that requests promotions, and
// every change is audited and leaves a sealed PolicyChange packet (issue 11, governance bypass).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { policyDigest } from "../../crds/environment-policy.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";
import { envUrl, mergeAs, must, NS, seedGovernance, tokenFor } from "./governance-env.ts";

describe("environment policy changes", () => {
  let env: TestEnv;
  let olga: string; // operator: requests promotions
  before(async () => {
    env = await startEnv();
    await seedGovernance(env);
    olga = await tokenFor(env, "olga", ["operator"]);
  });
  after(() => env.stop());

  const packets = async () =>
    (await must(env.request("GET", `${collection("evidencepackets", NS)}?fieldSelector=spec.type=PolicyChange`), 200))
      .body.items;

  test("an operator may not loosen prod's approvals or drop its promotion requirement: 403 naming the fields", async () => {
    const before = (await must(env.request("GET", envUrl("prod")), 200)).body;
    for (const spec of [{ approvals: { required: 0 } }, { promotion: { required: false }, freezeWindows: [] }]) {
      const res = await env.request("PATCH", envUrl("prod"), { spec }, mergeAs(olga));
      assert.equal(res.status, 403, res.text);
      assert.match(res.body.message, /user "olga" \(roles in "shop": operator\) may not change environment "prod"/);
      assert.match(res.body.message, /only the admin role changes/);
      for (const field of Object.keys(spec)) assert.match(res.body.message, new RegExp(`spec\\.${field}`));
      assert.deepEqual(
        res.body.details.causes.map((c: { field: string }) => c.field).sort(),
        Object.keys(spec)
          .map((f) => `spec.${f}`)
          .sort(),
      );
    }
    const putBack = { ...before, spec: { ...before.spec, approvals: { required: 1 } } };
    assert.equal(
      (await env.request("PUT", envUrl("prod"), putBack, { authorization: `Bearer ${olga}` })).status,
      403,
      "PUT too",
    );
    assert.deepEqual((await must(env.request("GET", envUrl("prod")), 200)).body.spec, before.spec);
  });

  test("an operator still edits the other fields, and leaves no policy evidence doing so", async () => {
    const before = (await packets()).length;
    const res = await env.request(
      "PATCH",
      envUrl("prod"),
      { spec: { description: "the shop", deployment: { progressDeadline: "5m" } } },
      mergeAs(olga),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal((await packets()).length, before);
  });

  test("creating an environment with a policy, or deleting one that has one, needs admin too", async () => {
    const loose = environment("prod-2", NS);
    loose.spec.approvals = { required: 0 };
    const created = await env.request("POST", collection("environments", NS), loose, {
      authorization: `Bearer ${olga}`,
    });
    assert.equal(created.status, 403, created.text);
    await must(
      env.request("POST", collection("environments", NS), environment("plain", NS), {
        authorization: `Bearer ${olga}`,
      }),
      201,
    );
    const deleted = await env.request("DELETE", envUrl("prod"), undefined, { authorization: `Bearer ${olga}` });
    assert.equal(deleted.status, 403, deleted.text);
    assert.match(deleted.body.message, /may not delete/);
  });

  test("an admin's policy change lands, is audited, and leaves a sealed PolicyChange packet with both digests", async () => {
    const before = (await must(env.request("GET", envUrl("prod")), 200)).body.spec;
    const res = await must(
      env.request(
        "PATCH",
        envUrl("prod"),
        { spec: { approvals: { required: 3, separationOfDuties: true } } },
        mergeAs(),
      ),
      200,
    );
    const auditId = res.headers.get("audit-id");
    const packet = (await packets()).find(
      (p: { spec: { details: { resourceVersion: string } } }) =>
        p.spec.details.resourceVersion === res.body.metadata.resourceVersion,
    );
    assert.ok(packet, "a PolicyChange packet for this write");
    assert.equal(packet.spec.actor.username, "admin");
    assert.equal(packet.spec.environment, "prod");
    assert.deepEqual(packet.spec.details.changedFields, ["spec.approvals"]);
    assert.equal(packet.spec.details.before.digest, policyDigest(before));
    assert.equal(packet.spec.details.after.digest, policyDigest(res.body.spec));
    assert.equal(packet.spec.policy.digest, policyDigest(res.body.spec));
    assert.equal(packet.spec.details.auditId, auditId);
    assert.equal(typeof packet.spec.seal?.digest, "string", "sealed into the namespace's chain");
    const audit = await must(
      env.request("GET", `/audit/v1/events?namespace=${NS}&resource=environments&name=prod`),
      200,
    );
    const record = audit.body.items.find((i: { requestId: string }) => i.requestId === auditId);
    assert.equal(record?.user, "admin");
    assert.equal(record?.code, 200);
  });
});
