// Artifacts over HTTP: content-addressed (the name is the content's sha256, the size its byte
// count), write-once (spec never changes; labels may), deletable, and readable by viewers while
// only controllers (and admins) write them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { artifactFor } from "../../crds/artifact.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection } from "../fixtures.ts";

const NS = "artifacts-api";
const url = collection("artifacts", NS);
const MERGE = { "content-type": "application/merge-patch+json" };
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const content =
  'services:\n  web-green:\n    image: "127.0.0.1:5000/shop/web@sha256:1111"\n    environment: { GREETING: "grüß dich" }\n';
const sha = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");

describe("artifacts", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  });
  after(() => env.stop());

  test("an artifact named by its digest is stored exactly; the same content again is AlreadyExists", async () => {
    const artifact = artifactFor(NS, { type: "compose-file", mediaType: "application/yaml", content });
    assert.equal(artifact.metadata.name, `sha256-${sha(content)}`);
    const res = await env.request("POST", url, artifact);
    assert.equal(res.status, 201, res.text);
    const got = await env.request("GET", `${url}/${artifact.metadata.name}`);
    assert.equal(got.body.spec.content, content);
    assert.equal(sha(got.body.spec.content), sha(content));
    assert.equal(got.body.spec.size, Buffer.byteLength(content, "utf8"));
    const again = await env.request("POST", url, artifact);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.reason, "AlreadyExists");
  });

  test("a name that is not the content's sha256 is Invalid naming metadata.name; a wrong size names spec.size", async () => {
    const artifact = artifactFor(NS, {
      type: "container-spec",
      mediaType: "application/json",
      content: '{"Image":"a"}',
    });
    const forged = { ...artifact, metadata: { ...artifact.metadata, name: `sha256-${sha("something else")}` } };
    const res = await env.request("POST", url, forged);
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.reason, "Invalid");
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string }) => c.field),
      ["metadata.name"],
    );
    assert.match(res.body.message, new RegExp(artifact.metadata.name!));

    const sized = { ...artifact, spec: { ...artifact.spec, size: artifact.spec.size + 1 } };
    const wrongSize = await env.request("POST", url, sized);
    assert.equal(wrongSize.status, 422, wrongSize.text);
    assert.deepEqual(
      wrongSize.body.details.causes.map((c: { field: string }) => c.field),
      ["spec.size"],
    );

    const named = await env.request("POST", url, { ...artifact, metadata: { ...artifact.metadata, name: "web-spec" } });
    assert.equal(named.status, 422);
    assert.deepEqual(
      named.body.details.causes.map((c: { field: string }) => c.field),
      ["metadata.name"],
    );
    assert.equal((await env.request("GET", `${url}/${artifact.metadata.name}`)).status, 404, "nothing was stored");
  });

  test("spec is write-once through PUT and PATCH; labels may change; delete works", async () => {
    const artifact = artifactFor(NS, {
      type: "nomad-job",
      mediaType: "application/json",
      content: '{"Job":{"ID":"web"}}',
    });
    const name = artifact.metadata.name!;
    assert.equal((await env.request("POST", url, artifact)).status, 201);

    const patched = await env.request("PATCH", `${url}/${name}`, { spec: { content: '{"Job":{"ID":"evil"}}' } }, MERGE);
    assert.equal(patched.status, 422, patched.text);
    assert.deepEqual(
      patched.body.details.causes.map((c: { field: string }) => c.field),
      ["spec"],
    );
    assert.match(patched.body.message, /write-once/);

    const live = (await env.request("GET", `${url}/${name}`)).body;
    const put = await env.request("PUT", `${url}/${name}`, {
      ...live,
      spec: { ...live.spec, mediaType: "text/plain" },
    });
    assert.equal(put.status, 422, put.text);

    const labelled = await env.request(
      "PATCH",
      `${url}/${name}`,
      { metadata: { labels: { "stella.io/deployment": "shop-1-4-0-dev" } } },
      MERGE,
    );
    assert.equal(labelled.status, 200, labelled.text);
    assert.equal(labelled.body.spec.content, artifact.spec.content);

    assert.equal((await env.request("DELETE", `${url}/${name}`)).status, 200);
    assert.equal((await env.request("GET", `${url}/${name}`)).status, 404);
  });

  test("a controller creates artifacts, a viewer reads them, an operator cannot write them", async () => {
    const artifact = artifactFor(NS, {
      type: "ecs-task-definition",
      mediaType: "application/json",
      content: '{"family":"web"}',
    });
    const controller = await env.token("deploy-controller", "controller", NS);
    const viewer = await env.token("vera", "viewer", NS);
    const operator = await env.token("otto", "operator", NS);
    assert.equal((await env.request("POST", url, artifact, as(operator))).status, 403);
    assert.equal((await env.request("POST", url, artifact, as(controller))).status, 201);
    const read = await env.request("GET", `${url}/${artifact.metadata.name}`, undefined, as(viewer));
    assert.equal(read.status, 200);
    assert.equal(read.body.spec.content, artifact.spec.content);
    assert.equal((await env.request("DELETE", `${url}/${artifact.metadata.name}`, undefined, as(viewer))).status, 403);
  });

  test("the table shows type, size and media type", async () => {
    const res = await env.request("GET", url, undefined, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.columnDefinitions.map((c: { name: string }) => c.name),
      ["Name", "Type", "Size", "Media Type", "Age"],
    );
  });
});
