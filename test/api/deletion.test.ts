// Finalizers and deletionTimestamp; cascading deletion through ownerReferences in the
// background, foreground and orphan policies; namespace deletion.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const MERGE = { "content-type": "application/merge-patch+json" };

async function eventually(check: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe("deletion", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
  });
  after(() => env.stop());

  const exists = async (name: string, ns = "default") =>
    (await env.request("GET", `${collection("environments", ns)}/${name}`)).status === 200;
  const owned = async (name: string, owner: { metadata: { name: string; uid: string } }, extra = {}) => {
    const e = environment(name);
    e.metadata.ownerReferences = [
      {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Environment",
        name: owner.metadata.name,
        uid: owner.metadata.uid,
        ...extra,
      },
    ];
    const res = await env.request("POST", collection("environments"), e);
    assert.equal(res.status, 201, res.text);
    return res.body;
  };

  test("a finalizer holds the object with deletionTimestamp until it is removed", async () => {
    const e = environment("held");
    e.metadata.finalizers = ["example.com/cleanup"];
    assert.equal((await env.request("POST", collection("environments"), e)).status, 201);
    const del = await env.request("DELETE", `${collection("environments")}/held`);
    assert.equal(del.status, 202);
    const got = await env.request("GET", `${collection("environments")}/held`);
    assert.ok(got.body.metadata.deletionTimestamp);
    const add = await env.request(
      "PATCH",
      `${collection("environments")}/held`,
      { metadata: { finalizers: ["example.com/cleanup", "new"] } },
      MERGE,
    );
    assert.equal(add.status, 422, "no new finalizers on an object being deleted");
    const rm = await env.request(
      "PATCH",
      `${collection("environments")}/held`,
      { metadata: { finalizers: null } },
      MERGE,
    );
    assert.equal(rm.status, 200, rm.text);
    assert.equal(await exists("held"), false);
  });

  test("background deletion removes dependents after the owner", async () => {
    const owner = (await env.request("POST", collection("environments"), environment("owner-bg"))).body;
    await owned("child-bg", owner);
    assert.equal((await env.request("DELETE", `${collection("environments")}/owner-bg`)).status, 200);
    await eventually(async () => !(await exists("child-bg")), "the dependent is collected");
  });

  test("foreground deletion removes dependents first, then the owner", async () => {
    const owner = (await env.request("POST", collection("environments"), environment("owner-fg"))).body;
    await owned("child-fg", owner, { blockOwnerDeletion: true });
    const del = await env.request("DELETE", `${collection("environments")}/owner-fg`, {
      propagationPolicy: "Foreground",
    });
    assert.equal(del.status, 202, del.text);
    assert.ok(del.body.metadata.finalizers.includes("foregroundDeletion"));
    await eventually(
      async () => !(await exists("child-fg")) && !(await exists("owner-fg")),
      "dependent then owner are gone",
    );
  });

  test("orphan deletion keeps dependents and drops their owner reference", async () => {
    const owner = (await env.request("POST", collection("environments"), environment("owner-or"))).body;
    await owned("child-or", owner);
    const del = await env.request("DELETE", `${collection("environments")}/owner-or?propagationPolicy=Orphan`);
    assert.equal(del.status, 202, del.text);
    await eventually(async () => !(await exists("owner-or")), "the owner is gone");
    const child = await env.request("GET", `${collection("environments")}/child-or`);
    assert.equal(child.status, 200);
    assert.equal(child.body.metadata.ownerReferences, undefined);
  });

  test("a bad propagationPolicy is 400 naming it", async () => {
    await env.request("POST", collection("environments"), environment("pp"));
    const res = await env.request("DELETE", `${collection("environments")}/pp?propagationPolicy=Sideways`);
    assert.equal(res.status, 400);
    assert.equal(res.body.details.causes[0].field, "propagationPolicy");
    assert.equal(await exists("pp"), true);
  });

  test("a delete precondition on a stale resourceVersion is 409 and keeps the object", async () => {
    const res = await env.request("DELETE", `${collection("environments")}/pp`, {
      preconditions: { resourceVersion: "1" },
    });
    assert.equal(res.status, 409);
    assert.equal(await exists("pp"), true);
  });

  test("deleting a namespace deletes what is in it, then the namespace", async () => {
    assert.equal(
      (
        await env.request("POST", "/api/v1/namespaces", {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: "doomed" },
        })
      ).status,
      201,
    );
    assert.equal(
      (await env.request("POST", collection("environments", "doomed"), environment("x", "doomed"))).status,
      201,
    );
    const del = await env.request("DELETE", "/api/v1/namespaces/doomed");
    assert.ok([200, 202].includes(del.status), del.text);
    const refused = await env.request("POST", collection("environments", "doomed"), environment("y", "doomed"));
    assert.ok([403, 404].includes(refused.status), "no new content in a terminating namespace");
    await eventually(
      async () => (await env.request("GET", "/api/v1/namespaces/doomed")).status === 404,
      "the namespace is gone",
    );
    assert.equal(await exists("x", "doomed"), false);
  });
});
