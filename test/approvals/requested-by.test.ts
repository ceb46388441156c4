// spec.requestedBy of a promotion is the creating caller, from the token: a forged value is
// replaced on create (POST and server-side apply) and can never be changed afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { as, must, NS, promotion, promotionUrl, seed, tokenFor } from "./approval-env.ts";

const FORGED = { username: "mallory", groups: ["stella:admins"] };

describe("spec.requestedBy", () => {
  let env: TestEnv;
  let olga: string;
  before(async () => {
    env = await startEnv();
    await seed(env);
    olga = await tokenFor(env, "olga", ["operator"], ["release-team"]);
  });
  after(() => env.stop());

  const requestedBy = async (name: string) =>
    (await must(env.request("GET", promotionUrl(name)), 200)).body.spec.requestedBy;

  test("a create sets it from the token, replacing a forged value", async () => {
    const res = await must(
      env.request(
        "POST",
        collection("promotions", NS),
        promotion("forged", "staging", { requestedBy: FORGED }),
        as(olga),
      ),
      201,
    );
    assert.deepEqual(res.body.spec.requestedBy, { username: "olga", groups: ["release-team"] });
    assert.deepEqual(await requestedBy("forged"), { username: "olga", groups: ["release-team"] });
  });

  test("a dry-run create shows it too, and a create without one gets it", async () => {
    const dry = await must(
      env.request("POST", `${collection("promotions", NS)}?dryRun=All`, promotion("dry", "staging"), as(olga)),
      201,
    );
    assert.equal(dry.body.spec.requestedBy.username, "olga");
    const admin = await must(env.request("POST", collection("promotions", NS), promotion("by-admin", "staging")), 201);
    assert.deepEqual(admin.body.spec.requestedBy, { username: "admin" });
  });

  test("updates cannot change or remove it: PUT, merge patch and JSON patch keep the stored value", async () => {
    await must(env.request("POST", collection("promotions", NS), promotion("kept", "staging"), as(olga)), 201);
    const current = (await env.request("GET", promotionUrl("kept"))).body;
    await must(
      env.request(
        "PUT",
        promotionUrl("kept"),
        { ...current, spec: { ...current.spec, requestedBy: FORGED, reason: "put" } },
        as(olga),
      ),
      200,
    );
    const { requestedBy: _dropped, ...withoutIt } = current.spec;
    const latest = (await env.request("GET", promotionUrl("kept"))).body;
    await must(
      env.request("PUT", promotionUrl("kept"), { ...latest, spec: { ...withoutIt, reason: "put without" } }, as(olga)),
      200,
    );
    await must(
      env.request(
        "PATCH",
        promotionUrl("kept"),
        { spec: { requestedBy: FORGED } },
        { ...as(olga), "content-type": "application/merge-patch+json" },
      ),
      200,
    );
    await must(
      env.request("PATCH", promotionUrl("kept"), [{ op: "remove", path: "/spec/requestedBy" }], {
        ...as(olga),
        "content-type": "application/json-patch+json",
      }),
      200,
    );
    const final = (await env.request("GET", promotionUrl("kept"))).body;
    assert.deepEqual(final.spec.requestedBy, { username: "olga", groups: ["release-team"] });
    assert.equal(final.spec.reason, "put without", "the rest of each update applied");
  });

  test("server-side apply: the creating applier is recorded, a forged value is replaced, and re-applying keeps it", async () => {
    const apply = (body: unknown) =>
      env.request("PATCH", `${promotionUrl("applied")}?fieldManager=ci`, body, {
        ...as(olga),
        "content-type": "application/apply-patch+yaml",
      });
    const created = await must(apply(promotion("applied", "staging", { requestedBy: FORGED })), 201);
    assert.equal(created.body.spec.requestedBy.username, "olga");
    await must(apply(promotion("applied", "staging", { reason: "again" })), 200);
    assert.equal((await requestedBy("applied")).username, "olga");
  });
});
