// The basic verbs over HTTP: create, get, list, update, status, generation, 409 on stale
// resourceVersion, dryRun, delete; each checked against what is stored afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

describe("resource CRUD", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
  });
  after(() => env.stop());

  test("create fills in server metadata and get returns the same object", async () => {
    const res = await env.request("POST", collection("environments"), environment("dev"));
    assert.equal(res.status, 201, res.text);
    const meta = res.body.metadata;
    assert.match(meta.uid, /^[0-9a-f-]{36}$/);
    assert.match(meta.resourceVersion, /^[0-9]+$/);
    assert.equal(meta.generation, 1);
    assert.ok(meta.creationTimestamp);
    const got = await env.request("GET", `${collection("environments")}/dev`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);
  });

  test("creating a second object with the same name is 409 AlreadyExists", async () => {
    const res = await env.request("POST", collection("environments"), environment("dev"));
    assert.equal(res.status, 409);
    assert.equal(res.body.kind, "Status");
    assert.equal(res.body.reason, "AlreadyExists");
  });

  test("update bumps generation on spec change, not on metadata change, and status is ignored", async () => {
    const cur = (await env.request("GET", `${collection("environments")}/dev`)).body;
    cur.spec.displayName = "Development";
    cur.status = { currentRelease: "forged" };
    const upd = await env.request("PUT", `${collection("environments")}/dev`, cur);
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.body.metadata.generation, 2);
    assert.equal(upd.body.status, undefined);
    assert.ok(Number(upd.body.metadata.resourceVersion) > Number(cur.metadata.resourceVersion));
    upd.body.metadata.labels = { team: "shop" };
    const upd2 = await env.request("PUT", `${collection("environments")}/dev`, upd.body);
    assert.equal(upd2.status, 200, upd2.text);
    assert.equal(upd2.body.metadata.generation, 2);
    assert.deepEqual(upd2.body.metadata.labels, { team: "shop" });
  });

  test("an update with a stale resourceVersion is 409 Conflict and changes nothing", async () => {
    const cur = (await env.request("GET", `${collection("environments")}/dev`)).body;
    const stale = structuredClone(cur);
    cur.spec.displayName = "first";
    assert.equal((await env.request("PUT", `${collection("environments")}/dev`, cur)).status, 200);
    stale.spec.displayName = "second";
    const res = await env.request("PUT", `${collection("environments")}/dev`, stale);
    assert.equal(res.status, 409);
    assert.equal(res.body.reason, "Conflict");
    const now = (await env.request("GET", `${collection("environments")}/dev`)).body;
    assert.equal(now.spec.displayName, "first");
  });

  test("an update without resourceVersion is refused naming the field", async () => {
    const cur = (await env.request("GET", `${collection("environments")}/dev`)).body;
    delete cur.metadata.resourceVersion;
    const res = await env.request("PUT", `${collection("environments")}/dev`, cur);
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, "metadata.resourceVersion");
  });

  test("the status subresource changes only status and never generation", async () => {
    const cur = (await env.request("GET", `${collection("environments")}/dev`)).body;
    const gen = cur.metadata.generation;
    cur.spec.displayName = "ignored by status writes";
    cur.status = {
      observedGeneration: gen,
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "AllTargetsReady",
          message: "ok",
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    };
    const res = await env.request("PUT", `${collection("environments")}/dev/status`, cur);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status.conditions[0].type, "Ready");
    assert.notEqual(res.body.spec.displayName, "ignored by status writes");
    assert.equal(res.body.metadata.generation, gen);
  });

  test("dryRun=All validates and answers but stores nothing", async () => {
    const res = await env.request("POST", `${collection("environments")}?dryRun=All`, environment("dry"));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.metadata.name, "dry");
    assert.equal((await env.request("GET", `${collection("environments")}/dry`)).status, 404);
    const del = await env.request("DELETE", `${collection("environments")}/dev?dryRun=All`);
    assert.equal(del.status, 200);
    assert.equal((await env.request("GET", `${collection("environments")}/dev`)).status, 200);
  });

  test("generateName makes a unique name", async () => {
    const env1 = environment("x");
    delete env1.metadata.name;
    env1.metadata.generateName = "gen-";
    const a = await env.request("POST", collection("environments"), env1);
    const b = await env.request("POST", collection("environments"), env1);
    assert.equal(a.status, 201, a.text);
    assert.match(a.body.metadata.name, /^gen-[a-z0-9]{5}$/);
    assert.notEqual(a.body.metadata.name, b.body.metadata.name);
  });

  test("list returns a List with a resourceVersion, and delete removes the object", async () => {
    const list = await env.request("GET", collection("environments"));
    assert.equal(list.status, 200);
    assert.equal(list.body.kind, "EnvironmentList");
    assert.match(list.body.metadata.resourceVersion, /^[0-9]+$/);
    assert.ok(list.body.items.some((i: { metadata: { name: string } }) => i.metadata.name === "dev"));
    const del = await env.request("DELETE", `${collection("environments")}/dev`);
    assert.equal(del.status, 200, del.text);
    assert.equal((await env.request("GET", `${collection("environments")}/dev`)).status, 404);
    const again = await env.request("DELETE", `${collection("environments")}/dev`);
    assert.equal(again.status, 404);
    assert.equal(again.body.reason, "NotFound");
  });

  test("objects in a namespace that does not exist are refused; creating the namespace allows them", async () => {
    const res = await env.request("POST", collection("environments", "shop"), environment("dev", "shop"));
    assert.equal(res.status, 404);
    assert.match(res.body.message, /namespaces "shop" not found/);
    const ns = await env.request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop" },
    });
    assert.equal(ns.status, 201, ns.text);
    assert.equal(
      (await env.request("POST", collection("environments", "shop"), environment("dev", "shop"))).status,
      201,
    );
  });

  test("cluster-wide list spans namespaces", async () => {
    const all = await env.request("GET", "/apis/release.stella.io/v1alpha1/environments");
    assert.equal(all.status, 200);
    const namespaces = new Set(all.body.items.map((i: { metadata: { namespace: string } }) => i.metadata.namespace));
    assert.ok(namespaces.has("shop") && namespaces.has("default"));
  });
});
