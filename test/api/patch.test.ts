// PATCH in its four flavours, and server-side apply's field ownership.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const url = `${collection("environments")}/web`;
const MERGE = { "content-type": "application/merge-patch+json" };
const APPLY = { "content-type": "application/apply-patch+yaml" };

describe("patch", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    assert.equal((await env.request("POST", collection("environments"), environment("web"))).status, 201);
  });
  after(() => env.stop());

  test("JSON merge patch sets and removes fields", async () => {
    const res = await env.request(
      "PATCH",
      url,
      { metadata: { labels: { tier: "web" } }, spec: { displayName: "Web" } },
      MERGE,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.spec.displayName, "Web");
    assert.equal(res.body.metadata.labels.tier, "web");
    const removed = await env.request("PATCH", url, { metadata: { labels: { tier: null } } }, MERGE);
    assert.equal(removed.body.metadata.labels?.tier, undefined);
  });

  test("JSON patch applies operations in order", async () => {
    const res = await env.request(
      "PATCH",
      url,
      [
        { op: "test", path: "/spec/displayName", value: "Web" },
        { op: "replace", path: "/spec/displayName", value: "Web 2" },
      ],
      { "content-type": "application/json-patch+json" },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.spec.displayName, "Web 2");
  });

  test("strategic merge patch (as kubectl sends it) works like a merge patch", async () => {
    const res = await env.request(
      "PATCH",
      url,
      { spec: { displayName: "Web 3" } },
      { "content-type": "application/strategic-merge-patch+json" },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.spec.displayName, "Web 3");
  });

  test("a merge patch carrying a stale resourceVersion is 409", async () => {
    const res = await env.request(
      "PATCH",
      url,
      { metadata: { resourceVersion: "1" }, spec: { displayName: "stale" } },
      MERGE,
    );
    assert.equal(res.status, 409);
  });

  test("patching the status subresource changes only status", async () => {
    const res = await env.request(
      "PATCH",
      `${url}/status`,
      { spec: { displayName: "nope" }, status: { observedGeneration: 1 } },
      MERGE,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status.observedGeneration, 1);
    assert.equal(res.body.spec.displayName, "Web 3");
  });

  test("server-side apply creates, records the manager, and conflicts with another manager", async () => {
    const applied = environment("ssa");
    const create = await env.request(
      "PATCH",
      `${collection("environments")}/ssa?fieldManager=alice`,
      stringify(applied),
      APPLY,
    );
    assert.equal(create.status, 201, create.text);
    assert.ok(
      create.body.metadata.managedFields.some(
        (m: { manager: string; operation: string }) => m.manager === "alice" && m.operation === "Apply",
      ),
    );
    const other = { ...applied, spec: { ...applied.spec, displayName: "bob's" } };
    const conflict = await env.request(
      "PATCH",
      `${collection("environments")}/ssa?fieldManager=bob`,
      stringify(other),
      APPLY,
    );
    assert.equal(conflict.status, 409, conflict.text);
    assert.ok(
      conflict.body.details.causes.some((c: { field: string }) => c.field.includes("spec.displayName")),
      conflict.text,
    );
    const forced = await env.request(
      "PATCH",
      `${collection("environments")}/ssa?fieldManager=bob&force=true`,
      stringify(other),
      APPLY,
    );
    assert.equal(forced.status, 200, forced.text);
    assert.equal(forced.body.spec.displayName, "bob's");
  });

  test("apply without fieldManager is refused naming it", async () => {
    const res = await env.request("PATCH", `${collection("environments")}/ssa`, stringify(environment("ssa")), APPLY);
    assert.equal(res.status, 400);
    assert.equal(res.body.details.causes[0].field, "fieldManager");
  });

  test("applying a config without a field removes the field the manager owned", async () => {
    const withLabel = environment("own");
    withLabel.metadata.labels = { a: "1", b: "2" };
    assert.equal(
      (await env.request("PATCH", `${collection("environments")}/own?fieldManager=carol`, stringify(withLabel), APPLY))
        .status,
      201,
    );
    withLabel.metadata.labels = { a: "1" };
    const res = await env.request(
      "PATCH",
      `${collection("environments")}/own?fieldManager=carol`,
      stringify(withLabel),
      APPLY,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.metadata.labels, { a: "1" });
  });
});
