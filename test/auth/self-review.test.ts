// A person asks why they got a 403: `kubectl auth whoami`, `kubectl auth can-i VERB RESOURCE` and
// `kubectl auth can-i --list`, answered by the authorizer every request goes through (the real
// kubectl v1.32, which posts these reviews as protobuf), and the same reviews in JSON.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { kubectl } from "../kubectl.ts";
import { withToken } from "../cli/kubeconfigs.ts";

let env: TestEnv;
let viewer: string;
let approver: string;

before(async () => {
  env = await startEnv({ listen: true });
  assert.equal(
    (
      await env.request("POST", "/api/v1/namespaces", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "shop" },
      })
    ).status,
    201,
  );
  viewer = await withToken(env.server.kubeconfigPath, "vera.kubeconfig", await env.token("vera", "viewer", "shop"));
  approver = await withToken(env.server.kubeconfigPath, "bob.kubeconfig", await env.token("bob", "approver", "shop"));
});
after(() => env.stop());

describe("kubectl auth", () => {
  it("whoami names the token's user", async () => {
    const r = await kubectl(viewer, ["auth", "whoami", "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status.userInfo.username, "vera");
  });

  it("can-i answers yes and no, and says why not", async () => {
    const yes = await kubectl(viewer, ["auth", "can-i", "list", "promotions", "-n", "shop"]);
    assert.deepEqual([yes.code, yes.stdout.trim()], [0, "yes"]);
    const no = await kubectl(viewer, ["auth", "can-i", "create", "promotions.release.stella.io", "-n", "shop"]);
    assert.equal(no.code, 1);
    assert.match(
      no.stdout,
      /^no - user "vera" \(roles in "shop": viewer\) cannot create promotions in namespace "shop"/,
    );
    const elsewhere = await kubectl(viewer, ["auth", "can-i", "list", "promotions", "-n", "default"]);
    assert.equal(elsewhere.code, 1);
    const subresource = await kubectl(approver, [
      "auth",
      "can-i",
      "create",
      "promotions",
      "--subresource",
      "approval",
      "-n",
      "shop",
    ]);
    assert.deepEqual([subresource.code, subresource.stdout.trim()], [0, "yes"]);
    const secrets = await kubectl(approver, ["auth", "can-i", "get", "secrets", "-n", "shop"]);
    assert.equal(secrets.code, 1, "an approver may not read secrets");
  });

  it("can-i --list shows a viewer's rules: read everything but secrets, write nothing", async () => {
    const r = await kubectl(viewer, ["auth", "can-i", "--list", "-n", "shop"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split("\n").slice(1).filter(Boolean);
    const promotions = rows.find((l) => l.startsWith("promotions.release.stella.io "));
    assert.match(promotions ?? "", /\[get list watch\]\s*$/);
    // Both Event APIs, as `kubectl auth can-i list events.events.k8s.io` answers yes.
    for (const events of ["events ", "events.events.k8s.io "])
      assert.match(rows.find((l) => l.startsWith(events)) ?? "", /\[get list watch\]\s*$/, events);
    assert.ok(!rows.some((l) => /secrets/.test(l)), "no rule on secrets");
    assert.ok(!rows.some((l) => /\b(create|update|patch|delete)\b/.test(l)), `no write verbs:\n${r.stdout}`);
  });
});

describe("the reviews in JSON", () => {
  const ssar = (spec: unknown) => ({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec });
  const post = async (token: string, path: string, body: unknown) =>
    env.request("POST", path, body, { authorization: `Bearer ${token}` });

  it("answers from the token, never from the body", async () => {
    const token = await env.token("vera", "viewer", "shop");
    const r = await post(
      token,
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      ssar({
        resourceAttributes: { namespace: "shop", verb: "delete", group: "release.stella.io", resource: "releases" },
      }),
    );
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.status.allowed, false);
    const forged = await post(token, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      ...ssar({ resourceAttributes: { verb: "get", resource: "secrets", namespace: "shop" }, user: "admin" }),
    });
    assert.equal(forged.status, 422, "a spec naming a user is refused by field");
    assert.equal(forged.body.details.causes[0].field, "spec");
  });

  it("refuses a review with neither or both attribute sets, and an unauthenticated one", async () => {
    const token = await env.token("vera", "viewer", "shop");
    const none = await post(token, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", ssar({}));
    assert.equal(none.status, 422);
    assert.equal(none.body.details.causes[0].field, "spec.resourceAttributes");
    const anonymous = await env.request(
      "POST",
      "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      {},
      { authorization: "" },
    );
    assert.equal(anonymous.status, 401);
  });

  it("discovery lists the review groups", async () => {
    const groups = await env.request("GET", "/apis");
    const names = groups.body.groups.map((g: { name: string }) => g.name);
    assert.ok(names.includes("authorization.k8s.io") && names.includes("authentication.k8s.io"), names.join(", "));
    const list = await env.request("GET", "/apis/authorization.k8s.io/v1");
    assert.deepEqual(list.body.resources.map((r: { name: string }) => r.name).sort(), [
      "selfsubjectaccessreviews",
      "selfsubjectrulesreviews",
    ]);
  });
});
