// Authentication (401 for missing, forged, expired tokens), authorization per namespace and
// role (403 naming user, role, verb and resource), RoleBindings, and the audit log.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SignJWT, generateKeyPair } from "jose";
import { TokenIssuer } from "../../apiserver/auth/tokens.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

describe("authentication and authorization", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    await env.request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop" },
    });
  });
  after(() => env.stop());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  test("no token is 401", async () => {
    const res = await env.request("GET", collection("environments"), undefined, { authorization: "" });
    assert.equal(res.status, 401);
    assert.equal(res.body.reason, "Unauthorized");
  });

  test("a token signed by another key is 401", async () => {
    const { privateKey } = await generateKeyPair("EdDSA");
    const forged = await new SignJWT({ grants: [{ namespace: "*", role: "admin" }] })
      .setProtectedHeader({ alg: "EdDSA" })
      .setSubject("mallory")
      .setIssuer("stella")
      .setAudience("stella")
      .setJti("x")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    const res = await env.request("GET", collection("environments"), undefined, as(forged));
    assert.equal(res.status, 401);
    assert.doesNotMatch(res.text, new RegExp(forged.slice(-20)), "the token is never echoed");
  });

  test("an expired token is 401 and says it expired", async () => {
    const past = await TokenIssuer.open(env.dataDir, { now: () => new Date(Date.now() - 3 * 3600_000) });
    const token = await past.issue({ subject: "old", grants: [{ namespace: "*", role: "admin" }], ttlSeconds: 60 });
    const res = await env.request("GET", collection("environments"), undefined, as(token));
    assert.equal(res.status, 401);
    assert.match(res.body.message, /expired/);
  });

  test("a viewer may read but not write; the 403 names user, role, verb and resource", async () => {
    const viewer = await env.token("vera", "viewer", "shop");
    assert.equal((await env.request("GET", collection("environments", "shop"), undefined, as(viewer))).status, 200);
    const res = await env.request("POST", collection("environments", "shop"), environment("dev", "shop"), as(viewer));
    assert.equal(res.status, 403);
    assert.match(res.body.message, /vera/);
    assert.match(res.body.message, /viewer/);
    assert.match(res.body.message, /create/);
    assert.match(res.body.message, /environments/);
    assert.equal(
      (await env.request("GET", `${collection("environments", "shop")}/dev`)).status,
      404,
      "nothing was created",
    );
  });

  test("a role in one namespace gives nothing in another, nor across all namespaces", async () => {
    const op = await env.token("olga", "operator", "shop");
    assert.equal(
      (await env.request("POST", collection("environments", "shop"), environment("dev", "shop"), as(op))).status,
      201,
    );
    assert.equal((await env.request("GET", collection("environments", "default"), undefined, as(op))).status, 403);
    assert.equal(
      (await env.request("GET", "/apis/release.stella.io/v1alpha1/environments", undefined, as(op))).status,
      403,
    );
  });

  test("a RoleBinding grants a role to a user", async () => {
    const nobody = await env.issuerToken("nina");
    assert.equal((await env.request("GET", collection("environments", "shop"), undefined, as(nobody))).status, 403);
    const binding = {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "RoleBinding",
      metadata: { name: "nina-viewer", namespace: "shop" },
      spec: { role: "viewer", subjects: [{ kind: "User", name: "nina" }] },
    };
    assert.equal((await env.request("POST", collection("rolebindings", "shop"), binding)).status, 201);
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await env.request("GET", collection("environments", "shop"), undefined, as(nobody))).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200);
  });

  test("every mutating request is in the audit log with who, verb, resource and outcome", async () => {
    const viewer = await env.token("auditee", "viewer", "shop");
    await env.request("POST", collection("environments", "shop"), environment("audited", "shop"), as(viewer));
    await env.request("POST", collection("environments", "shop"), environment("audited", "shop"));
    const records = await env.server.storage.queryAudit({ name: "audited" });
    const denied = records.find((r) => r.user === "auditee");
    const allowed = records.find((r) => r.user === "admin");
    assert.ok(denied && allowed, JSON.stringify(records));
    assert.equal(denied.verb, "create");
    assert.equal(denied.resource, "environments");
    assert.equal(denied.outcome, "failure");
    assert.equal(denied.code, 403);
    assert.equal(allowed.outcome, "success");
    assert.equal(allowed.code, 201);
  });

  test("a write without a valid token is audited as system:anonymous with 401", async () => {
    await env.request("DELETE", `${collection("environments", "shop")}/intruded`, undefined, {
      authorization: "Bearer forged",
    });
    const records = await env.server.storage.queryAudit({ name: "intruded" });
    assert.equal(records.length, 1, JSON.stringify(records));
    assert.equal(records[0].user, "system:anonymous");
    assert.equal(records[0].code, 401);
    assert.equal(records[0].outcome, "failure");
  });
});
