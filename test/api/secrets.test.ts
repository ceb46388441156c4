// Secrets: sealed at rest (AES-256-GCM), stringData folded into data, readable only by admin
// and controller roles, values never echoed in errors, immutable Secrets stay as they are.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";
import { openWatch } from "../watch-reader.ts";

const secret = (name: string, extra: Record<string, unknown>) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Secret",
  metadata: { name, namespace: "default" },
  ...extra,
});
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("secrets", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
  });
  after(() => env.stop());

  test("stringData folds into data, and the stored row holds neither the value nor its base64", async () => {
    const res = await env.request(
      "POST",
      collection("secrets"),
      secret("registry", { data: { username: b64("stella") }, stringData: { password: "hunter2-very-secret" } }),
    );
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.data, { username: b64("stella"), password: b64("hunter2-very-secret") });
    assert.equal(res.body.stringData, undefined);
    const stored = await env.server.storage.get({ resource: "secrets", namespace: "default", name: "registry" });
    const raw = JSON.stringify(stored);
    assert.doesNotMatch(raw, /hunter2/);
    assert.ok(!raw.includes(b64("hunter2-very-secret")));
    assert.equal((stored as { data?: unknown }).data, undefined);
    const got = await env.request("GET", `${collection("secrets")}/registry`);
    assert.equal(Buffer.from(got.body.data.password, "base64").toString(), "hunter2-very-secret");
  });

  test("only admin and controller roles may read secrets; an operator may write but not read", async () => {
    const as = async (role: "viewer" | "operator" | "controller" | "approver") =>
      (
        await env.request("GET", `${collection("secrets")}/registry`, undefined, {
          authorization: `Bearer ${await env.token(role, role, "default")}`,
        })
      ).status;
    assert.equal(await as("viewer"), 403);
    assert.equal(await as("approver"), 403);
    assert.equal(await as("operator"), 403);
    assert.equal(await as("controller"), 200);
    const op = await env.token("op", "operator", "default");
    const created = await env.request(
      "POST",
      collection("secrets"),
      secret("by-operator", { stringData: { k: "v" } }),
      { authorization: `Bearer ${op}` },
    );
    assert.equal(created.status, 201, created.text);
  });

  test("an invalid value is refused without echoing it", async () => {
    const res = await env.request(
      "POST",
      collection("secrets"),
      secret("bad", { data: { token: "not base64 !!! supersecretvalue" } }),
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, "data.token");
    assert.doesNotMatch(res.text, /supersecretvalue/);
  });

  test("an immutable secret's data cannot change", async () => {
    const created = await env.request(
      "POST",
      collection("secrets"),
      secret("frozen", { stringData: { a: "1" }, immutable: true }),
    );
    assert.equal(created.status, 201);
    const res = await env.request(
      "PATCH",
      `${collection("secrets")}/frozen`,
      { stringData: { a: "2" } },
      { "content-type": "application/merge-patch+json" },
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, "data");
  });

  test("watch events carry decrypted data", async () => {
    const w = await openWatch(
      env,
      `${collection("secrets")}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dregistry`,
    );
    const e = await w.next();
    assert.equal(Buffer.from(e.object.data.username, "base64").toString(), "stella");
    assert.equal(e.object.sealedData, undefined);
    await w.close();
  });
});
