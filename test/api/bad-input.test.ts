// Bad input of every kind gets a Kubernetes Status naming what is wrong, and nothing stored changes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

describe("bad input", () => {
  let env: TestEnv;
  let rvBefore: string;
  before(async () => {
    env = await startEnv({ bodyLimit: 64 * 1024 });
    const res = await env.request("POST", collection("environments"), environment("dev"));
    assert.equal(res.status, 201, res.text);
    rvBefore = res.body.metadata.resourceVersion;
  });
  after(() => env.stop());

  const unchanged = async () => {
    const cur = await env.request("GET", `${collection("environments")}/dev`);
    assert.equal(cur.body.metadata.resourceVersion, rvBefore, "the stored object must not change");
    const list = await env.request("GET", collection("environments"));
    assert.equal(list.body.items.length, 1, "nothing else may be created");
  };

  test("malformed JSON is 400 and says so", async () => {
    const res = await env.request(
      "POST",
      collection("environments"),
      '{"apiVersion": "release.stella.io/v1alpha1", "kind": ',
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.kind, "Status");
    assert.match(res.body.message, /not valid JSON/);
    await unchanged();
  });

  test("malformed YAML is 400 with the line", async () => {
    const res = await env.request("POST", collection("environments"), "metadata:\n  name: [unclosed\n", {
      "content-type": "application/yaml",
    });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /not valid YAML at line/);
    await unchanged();
  });

  test("a wrong type is 422 naming the field", async () => {
    const bad = environment("typed");
    bad.spec.displayName = 42;
    const res = await env.request("POST", collection("environments"), bad);
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.reason, "Invalid");
    assert.ok(
      res.body.details.causes.some((c: { field: string }) => c.field === "spec.displayName"),
      res.text,
    );
    await unchanged();
  });

  test("an unknown field is 422 naming the field", async () => {
    const bad = environment("unknown");
    bad.spec.targetSelecter = bad.spec.targetSelector;
    const res = await env.request("POST", collection("environments"), bad);
    assert.equal(res.status, 422);
    assert.ok(
      res.body.details.causes.some((c: { field: string }) => c.field === "spec.targetSelecter"),
      res.text,
    );
    await unchanged();
  });

  test("an unknown field in an update is refused and the object is left as it was", async () => {
    const cur = (await env.request("GET", `${collection("environments")}/dev`)).body;
    cur.spec.bogus = true;
    const res = await env.request("PUT", `${collection("environments")}/dev`, cur);
    assert.equal(res.status, 422);
    assert.ok(
      res.body.details.causes.some((c: { field: string }) => c.field === "spec.bogus"),
      res.text,
    );
    await unchanged();
  });

  test("a name that breaks DNS rules is 422 on metadata.name", async () => {
    const res = await env.request("POST", collection("environments"), environment("Web_Server_1"));
    assert.equal(res.status, 422);
    assert.ok(
      res.body.details.causes.some((c: { field: string }) => c.field === "metadata.name"),
      res.text,
    );
    await unchanged();
  });

  test("a body over the limit is 413", async () => {
    const big = environment("big");
    big.metadata.annotations = { filler: "x".repeat(100 * 1024) };
    const res = await env.request("POST", collection("environments"), big);
    assert.equal(res.status, 413);
    assert.equal(res.body.reason, "RequestEntityTooLarge");
    await unchanged();
  });

  test("a patch of an unsupported content type is 415", async () => {
    const res = await env.request("PATCH", `${collection("environments")}/dev`, '{"spec":{}}', {
      "content-type": "text/plain",
    });
    assert.equal(res.status, 415);
    assert.equal(res.body.reason, "UnsupportedMediaType");
    await unchanged();
  });

  test("a JSON patch that is not an array is 400; a failing test op is 422", async () => {
    const a = await env.request(
      "PATCH",
      `${collection("environments")}/dev`,
      { op: "add" },
      { "content-type": "application/json-patch+json" },
    );
    assert.equal(a.status, 400);
    const b = await env.request(
      "PATCH",
      `${collection("environments")}/dev`,
      [{ op: "test", path: "/spec/displayName", value: "nope" }],
      { "content-type": "application/json-patch+json" },
    );
    assert.equal(b.status, 422, b.text);
    await unchanged();
  });

  test("a body whose kind does not match the URL is 400 naming kind", async () => {
    const res = await env.request("POST", collection("environments"), { ...environment("k"), kind: "Target" });
    assert.equal(res.status, 400);
    assert.equal(res.body.details.causes[0].field, "kind");
    await unchanged();
  });

  test("a name in the body that differs from the URL is 400", async () => {
    const cur = (await env.request("GET", `${collection("environments")}/dev`)).body;
    cur.metadata.name = "other";
    const res = await env.request("PUT", `${collection("environments")}/dev`, cur);
    assert.equal(res.status, 400);
    assert.equal(res.body.details.causes[0].field, "metadata.name");
    await unchanged();
  });

  test("a non-numeric resourceVersion is 400 naming it", async () => {
    const res = await env.request("GET", `${collection("environments")}?watch=true&resourceVersion=abc`);
    assert.equal(res.status, 400);
    assert.equal(res.body.details.causes[0].field, "resourceVersion");
  });

  test("a watch from a future resourceVersion is 504 ResourceVersionTooLarge", async () => {
    const res = await env.request("GET", `${collection("environments")}?watch=true&resourceVersion=999999999`);
    assert.equal(res.status, 504);
    assert.equal(res.body.details.causes[0].reason, "ResourceVersionTooLarge");
  });

  test("an unknown resource is 404 and an unsupported verb on a collection is 405", async () => {
    assert.equal((await env.request("GET", collection("widgets"))).status, 404);
    assert.equal((await env.request("PUT", collection("environments"), environment("x"))).status, 405);
  });

  test("bad selectors are 400 naming the parameter", async () => {
    const a = await env.request("GET", `${collection("environments")}?labelSelector=${encodeURIComponent("a in (b")}`);
    assert.equal(a.status, 400, a.text);
    const b = await env.request("GET", `${collection("environments")}?fieldSelector=spec.nothing%3Dx`);
    assert.equal(b.status, 400);
    assert.equal(b.body.details.causes[0].field, "fieldSelector");
  });

  test("a NUL character PostgreSQL cannot store is 400, not a server error", async () => {
    const bad = environment("nul");
    bad.spec.displayName = "a\u0000b";
    const res = await env.request("POST", collection("environments"), bad);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.kind, "Status");
    await unchanged();
  });

  test("no error body leaks a stack trace", async () => {
    const res = await env.request("POST", collection("environments"), "[1,2");
    assert.doesNotMatch(res.text, /at .*\.ts:\d+/);
  });
});
