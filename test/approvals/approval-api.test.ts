// The approval subresource through the real apiserver: identity from the token only, the approver
// role, the environment's approvers, separation of duties, one decision per person, closed
// promotions, concurrency, the audit trail and discovery.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { as, decide, inPhase, must, NS, promotion, promotionUrl, seed, tokenFor } from "./approval-env.ts";

describe("the approval subresource", () => {
  let env: TestEnv;
  let olga: string; // operator: requests promotions
  let alice: string; // operator and approver: may request and approve
  let bob: string; // approver, named in prod's approvers
  let carol: string; // approver, named in prod's approvers
  let dave: string; // approver in the release-managers group
  let erin: string; // approver, named nowhere in prod's policy
  let n = 0;
  const fresh = async (environment: string, token = olga) => {
    const name = `p${++n}`;
    await must(env.request("POST", collection("promotions", NS), promotion(name, environment), as(token)), 201);
    await inPhase(env, name);
    return name;
  };
  const approvalsOf = async (name: string) =>
    (await must(env.request("GET", promotionUrl(name)), 200)).body.status?.approvals ?? [];

  before(async () => {
    env = await startEnv();
    await seed(env);
    [olga, alice, bob, carol, dave, erin] = await Promise.all([
      tokenFor(env, "olga", ["operator"]),
      tokenFor(env, "alice", ["operator", "approver"]),
      tokenFor(env, "bob", ["approver"], ["qa"]),
      tokenFor(env, "carol", ["approver"]),
      tokenFor(env, "dave", ["approver"], ["release-managers"]),
      tokenFor(env, "erin", ["approver"]),
    ]);
  });
  after(() => env.stop());

  test("an approver's approval records the token's identity, decision, comment and time, and answers the promotion", async () => {
    const name = await fresh("staging");
    const before = Math.floor(Date.now() / 1000) * 1000;
    const res = await must(decide(env, bob, name, { decision: "Approved", comment: "lgtm" }), 200);
    assert.equal(res.body.kind, "Promotion");
    assert.equal(res.body.metadata.name, name);
    const [approval] = res.body.status.approvals;
    assert.deepEqual(approval.user, { username: "bob", groups: ["qa"] });
    assert.equal(approval.decision, "Approved");
    assert.equal(approval.comment, "lgtm");
    assert.ok(
      Date.parse(approval.time) >= before && Date.parse(approval.time) <= Date.now(),
      `${approval.time} is the time of the request`,
    );
    assert.deepEqual(await approvalsOf(name), res.body.status.approvals, "stored as answered");
  });

  test("a body naming another user is refused naming the field, and records nothing", async () => {
    const name = await fresh("staging");
    for (const field of ["user", "username", "approver"]) {
      const res = await decide(env, erin, name, {
        decision: "Approved",
        [field]: field === "user" ? { username: "carol" } : "carol",
      });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.details.causes[0].field, field);
      assert.match(res.body.message, new RegExp(`unknown field "${field}"`));
    }
    assert.deepEqual(await approvalsOf(name), []);
  });

  test("a malformed decision and a rejection without a comment are 422", async () => {
    const name = await fresh("staging");
    const maybe = await decide(env, bob, name, { decision: "Maybe" });
    assert.equal(maybe.status, 422);
    assert.equal(maybe.body.details.causes[0].field, "decision");
    const silent = await decide(env, bob, name, { decision: "Rejected" });
    assert.equal(silent.status, 422);
    assert.equal(silent.body.details.causes[0].field, "comment");
    assert.deepEqual(await approvalsOf(name), []);
  });

  test("under separation of duties the requester may neither approve nor reject; without it they may approve", async () => {
    const guarded = await fresh("staging", alice);
    assert.equal((await must(env.request("GET", promotionUrl(guarded)), 200)).body.spec.requestedBy.username, "alice");
    for (const body of [{ decision: "Approved" }, { decision: "Rejected", comment: "mine" }]) {
      const res = await decide(env, alice, guarded, body);
      assert.equal(res.status, 403, res.text);
      assert.match(res.body.message, /separation of duties/);
      assert.match(res.body.message, /"alice" requested promotion/);
    }
    assert.deepEqual(await approvalsOf(guarded), []);
    const open = await fresh("dev", alice);
    const res = await must(decide(env, alice, open, { decision: "Approved" }), 200);
    assert.equal(res.body.status.approvals[0].user.username, "alice");
  });

  test("viewer, operator and controller are refused with 403 naming their role and the one needed", async () => {
    const name = await fresh("dev");
    for (const role of ["viewer", "operator", "controller"] as const) {
      const token = await tokenFor(env, `${role}-user`, [role]);
      const res = await decide(env, token, name, { decision: "Approved" });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.reason, "Forbidden");
      assert.match(res.body.message, new RegExp(`roles in "${NS}": ${role}`));
      assert.match(res.body.message, /promotions\/approval/);
      assert.match(res.body.message, /approver \(or admin\) role/);
    }
    assert.deepEqual(await approvalsOf(name), []);
    const admin = await must(env.request("POST", promotionUrl(name, "approval"), { decision: "Approved" }), 200);
    assert.equal(admin.body.status.approvals[0].user.username, "admin", "admin may approve");
  });

  test("the environment's approvers narrow who may approve, by name or group", async () => {
    const name = await fresh("prod");
    const refused = await decide(env, erin, name, { decision: "Approved" });
    assert.equal(refused.status, 403);
    assert.match(
      refused.body.message,
      /environment "prod" takes approvals only from users "bob", "carol" and members of groups "release-managers"/,
    );
    await must(decide(env, carol, name, { decision: "Approved" }), 200);
    const res = await must(decide(env, dave, name, { decision: "Approved" }), 200);
    assert.deepEqual(
      res.body.status.approvals.map((a: { user: { username: string } }) => a.user.username),
      ["carol", "dave"],
    );
  });

  test("a status write cannot forge, change or drop a decision: approvals are the subresource's", async () => {
    const name = await fresh("prod");
    await must(decide(env, bob, name, { decision: "Approved", comment: "lgtm" }), 200);
    const recorded = await approvalsOf(name);
    const forged = { user: { username: "carol" }, decision: "Approved", time: new Date().toISOString() };
    // The admin token may write status (as the controllers do); what it sends for approvals is ignored.
    const current = (await must(env.request("GET", promotionUrl(name)), 200)).body;
    const put = await must(
      env.request("PUT", promotionUrl(name, "status"), {
        ...current,
        status: { ...current.status, message: "forged", approvals: [forged] },
      }),
      200,
    );
    assert.equal(put.body.status.message, "forged", "the rest of the status write lands");
    assert.deepEqual(put.body.status.approvals, recorded);
    const patched = await must(
      env.request(
        "PATCH",
        promotionUrl(name, "status"),
        { status: { approvals: [] } },
        { "content-type": "application/merge-patch+json" },
      ),
      200,
    );
    assert.deepEqual(patched.body.status.approvals, recorded);
    const json = await env.request(
      "PATCH",
      promotionUrl(name, "status"),
      [{ op: "replace", path: "/status/approvals/0/user/username", value: "dave" }],
      { "content-type": "application/json-patch+json" },
    );
    assert.equal(json.status, 200, json.text);
    assert.deepEqual(await approvalsOf(name), recorded, "a JSON patch of one approval is ignored too");
    // The real decisions still land after all that, and count.
    const second = await must(decide(env, carol, name, { decision: "Approved" }), 200);
    assert.deepEqual(
      second.body.status.approvals.map((a: { user: { username: string } }) => a.user.username),
      ["bob", "carol"],
    );
  });

  test("the same person cannot decide twice: 409", async () => {
    const name = await fresh("staging");
    await must(decide(env, bob, name, { decision: "Approved" }), 200);
    for (const body of [{ decision: "Approved" }, { decision: "Rejected", comment: "changed my mind" }]) {
      const res = await decide(env, bob, name, body);
      assert.equal(res.status, 409, res.text);
      assert.equal(res.body.reason, "Conflict");
      assert.match(res.body.message, /already approved by bob/);
    }
    assert.equal((await approvalsOf(name)).length, 1);
  });

  test("a rejection is recorded with its comment and closes the promotion to further decisions", async () => {
    const name = await fresh("prod");
    const res = await must(decide(env, bob, name, { decision: "Rejected", comment: "error budget exhausted" }), 200);
    assert.deepEqual(
      res.body.status.approvals.map((a: { user: { username: string }; decision: string; comment: string }) => [
        a.user.username,
        a.decision,
        a.comment,
      ]),
      [["bob", "Rejected", "error budget exhausted"]],
    );
    const after = await decide(env, carol, name, { decision: "Approved" });
    assert.equal(after.status, 409);
    assert.match(after.body.message, /already rejected by bob/);
  });

  test("a promotion that is deploying or finished takes no decision: 409 naming its phase", async () => {
    for (const phase of ["Succeeded", "Rejected", "Aborted", "Superseded", "Deploying"]) {
      const name = await fresh("dev");
      const current = (await env.request("GET", promotionUrl(name))).body;
      await must(env.request("PUT", promotionUrl(name, "status"), { ...current, status: { phase } }), 200);
      const res = await decide(env, bob, name, { decision: "Approved" });
      assert.equal(res.status, 409, `${phase}: ${res.text}`);
      assert.match(res.body.message, new RegExp(`the promotion is ${phase}`));
      assert.deepEqual(await approvalsOf(name), []);
    }
  });

  test("the environment must exist, and so must the promotion", async () => {
    const name = await fresh("qa");
    const res = await decide(env, bob, name, { decision: "Approved" });
    assert.equal(res.status, 404);
    assert.match(res.body.message, /environments\.release\.stella\.io "qa" not found/);
    assert.equal(res.body.details.kind, "environments");
    const missing = await decide(env, bob, "no-such-promotion", { decision: "Approved" });
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /promotions\.release\.stella\.io "no-such-promotion" not found/);
  });

  test("decisions arriving together all land: the status write retries on conflict", async () => {
    const name = await fresh("dev");
    const people = await Promise.all(
      ["p1", "p2", "p3", "p4", "p5"].map((u) => tokenFor(env, `approver-${u}`, ["approver"])),
    );
    const results = await Promise.all(people.map((t) => decide(env, t, name, { decision: "Approved" })));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200, 200],
      results.map((r) => r.text).join("\n"),
    );
    const names = (await approvalsOf(name)).map((a: { user: { username: string } }) => a.user.username).sort();
    assert.deepEqual(names, ["approver-p1", "approver-p2", "approver-p3", "approver-p4", "approver-p5"]);
  });

  test("a server dry run checks the rules and records nothing", async () => {
    const name = await fresh("staging");
    await must(
      env.request("POST", `${promotionUrl(name, "approval")}?dryRun=All`, { decision: "Approved" }, as(bob)),
      200,
    );
    assert.deepEqual(await approvalsOf(name), []);
  });

  test("only POST is served on the subresource", async () => {
    const name = await fresh("dev");
    for (const method of ["GET", "PUT", "PATCH", "DELETE"])
      assert.equal(
        (
          await env.request(
            method,
            promotionUrl(name, "approval"),
            method === "GET" || method === "DELETE" ? undefined : {},
            as(bob),
          )
        ).status,
        405,
        method,
      );
  });

  test("decisions, refused ones included, are in the audit log as create promotions/approval", async () => {
    const name = await fresh("staging");
    await must(decide(env, bob, name, { decision: "Approved" }), 200);
    await decide(env, olga, name, { decision: "Approved" });
    const records = (await env.server.storage.queryAudit({ resource: "promotions", name })).filter(
      (r) => r.subresource === "approval",
    );
    assert.deepEqual(
      records.map((r) => [r.user, r.verb, r.namespace, r.code, r.outcome]),
      [
        ["bob", "create", NS, 200, "success"],
        ["olga", "create", NS, 403, "failure"],
      ],
    );
  });

  test("discovery lists promotions/approval with the create verb", async () => {
    const res = await must(env.request("GET", "/apis/release.stella.io/v1alpha1"), 200);
    const sub = res.body.resources.find((r: { name: string }) => r.name === "promotions/approval");
    assert.deepEqual(sub?.verbs, ["create"]);
    assert.equal(sub?.kind, "Promotion");
  });
});
