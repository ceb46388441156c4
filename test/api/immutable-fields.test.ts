// Fields a kind declares immutable (KindInfo.immutableFields) through the real apiserver: a PUT,
// a merge patch or a server-side apply that changes one is 422 naming the field, and the stored
// object stays as it was; the other fields of the same object may still change.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";

const deployment = {
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "d1", namespace: "default" },
  spec: { release: "shop-1-4-0", environment: "dev" },
};
const promotion = {
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Promotion",
  metadata: { name: "p1", namespace: "default" },
  spec: { release: "shop-1-4-0", environment: "dev" },
};
const merge = { "content-type": "application/merge-patch+json" };

describe("immutable fields", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    assert.equal((await env.request("POST", collection("deployments"), deployment)).status, 201);
    assert.equal((await env.request("POST", collection("promotions"), promotion)).status, 201);
  });
  after(() => env.stop());

  test("a deployment's release and environment never change; its controls do", async () => {
    const url = `${collection("deployments")}/d1`;
    const patched = await env.request("PATCH", url, { spec: { release: "shop-1-5-0", environment: "prod" } }, merge);
    assert.equal(patched.status, 422, patched.text);
    assert.deepEqual(patched.body.details.causes.map((c: { field: string }) => c.field).sort(), [
      "spec.environment",
      "spec.release",
    ]);
    assert.match(patched.body.message, /^Deployment "d1" is invalid: spec\.release: field is immutable after creation/);
    const current = (await env.request("GET", url)).body;
    const put = await env.request("PUT", url, { ...current, spec: { ...current.spec, release: "shop-1-5-0" } });
    assert.equal(put.status, 422, put.text);
    const applied = await env.request(
      "PATCH",
      `${url}?fieldManager=t&force=true`,
      { ...deployment, spec: { ...deployment.spec, environment: "prod" } },
      { "content-type": "application/apply-patch+yaml" },
    );
    assert.equal(applied.status, 422, applied.text);
    const stored = (await env.request("GET", url)).body;
    assert.deepEqual(
      [stored.spec.release, stored.spec.environment, stored.metadata.resourceVersion],
      ["shop-1-4-0", "dev", current.metadata.resourceVersion],
    );
    assert.equal(
      (await env.request("PATCH", url, { spec: { paused: true } }, merge)).status,
      200,
      "the controls are not frozen",
    );
  });

  test("whether a promotion is a rollback is fixed at create, even while it is Pending", async () => {
    const url = `${collection("promotions")}/p1`;
    const res = await env.request("PATCH", url, { spec: { rollback: true } }, merge);
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string }) => c.field),
      ["spec.rollback"],
    );
    // What is promoted is fixed from create too, so no approval can be given for something else.
    const moved = await env.request("PATCH", url, { spec: { environment: "staging" } }, merge);
    assert.equal(moved.status, 422, "a Pending promotion's environment is fixed as well");
    assert.deepEqual(
      moved.body.details.causes.map((c: { field: string }) => c.field),
      ["spec.environment"],
    );
  });
});
