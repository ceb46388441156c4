// A caller who may write Secrets but not read them (the operator role) never gets a value back:
// not in a write's response, a dry run, a deletion, an error, nor through an outcome that depends
// on the value (a JSON-patch `test`, a no-op write, an apply conflict, an immutability refusal).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startEnv, type TestEnv, type TestResponse } from "../env.ts";
import { collection } from "../fixtures.ts";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const MERGE = { "content-type": "application/merge-patch+json" };
const JSON_PATCH = { "content-type": "application/json-patch+json" };
const APPLY = { "content-type": "application/apply-patch+yaml" };
/** A Secret body in the default namespace. */
const secret = (metadata: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Secret",
  metadata: { namespace: "default", ...metadata },
  ...rest,
});
/** A server-side apply configuration, as the text of a request. */
const applied = (metadata: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  JSON.stringify(secret(metadata, rest));

describe("secret content is never shown to a caller who may not read it", () => {
  let env: TestEnv;
  let op: Record<string, string>;
  const plain = `pw-${randomBytes(8).toString("hex")}`;
  const url = (name = "db", query = "") => `${collection("secrets")}/${name}${query}`;
  /** The response text holds neither the value, nor its base64, nor a base64 of anything containing it. */
  const assertClean = (res: TestResponse) => {
    assert.ok(!res.text.includes(plain), `plaintext leaked: ${res.text}`);
    assert.ok(!res.text.includes(b64(plain)), `base64 leaked: ${res.text}`);
    assert.ok(!res.text.includes(b64(plain).slice(0, 12)), `base64 prefix leaked: ${res.text}`);
  };
  const manifest = secret({ name: "db" }, { stringData: { password: plain } });
  const annotations = { [LAST_APPLIED]: JSON.stringify(manifest) };
  const asOp = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    env.request(method, path, body, { ...op, ...headers });

  before(async () => {
    env = await startEnv();
    op = { authorization: `Bearer ${await env.token("olive", "operator", "default")}` };
    const created = await env.request("POST", collection("secrets"), {
      ...manifest,
      metadata: { ...manifest.metadata, annotations },
    });
    assert.equal(created.status, 201, created.text);
  });
  after(() => env.stop());

  test("merge patch, JSON patch, apply, PUT and their dry runs answer without data or the last-applied annotation", async () => {
    const label = (v: string) => ({ metadata: { labels: { touched: v } } });
    const responses = [
      await asOp("PATCH", url(), label("merge"), MERGE),
      await asOp("PATCH", url("db", "?dryRun=All"), label("dry"), MERGE),
      await asOp("PATCH", url(), [{ op: "add", path: "/metadata/labels/json", value: "yes" }], JSON_PATCH),
      await asOp(
        "PATCH",
        url("db", "?fieldManager=olive&dryRun=All"),
        applied({ name: "db", labels: { ssa: "1" } }),
        APPLY,
      ),
      await asOp("PATCH", url("db", "?fieldManager=olive"), applied({ name: "db", labels: { ssa: "1" } }), APPLY),
    ];
    for (const res of responses) {
      assert.equal(res.status, 200, res.text);
      assertClean(res);
      assert.equal(res.body.data, undefined);
      assert.equal(res.body.metadata.annotations?.[LAST_APPLIED], undefined);
    }
    const rv = responses.at(-1)!.body.metadata.resourceVersion;
    const put = await asOp(
      "PUT",
      url(),
      secret({ name: "db", resourceVersion: rv, annotations }, { data: { password: b64(plain) } }),
    );
    assert.equal(put.status, 200, put.text);
    assertClean(put);
  });

  test("a JSON-patch test op fails the same whether its guess is right or wrong", async () => {
    const guess = (value: string) =>
      asOp(
        "PATCH",
        url(),
        [
          { op: "test", path: "/data/password", value },
          { op: "add", path: "/metadata/labels/t", value: "1" },
        ],
        JSON_PATCH,
      );
    const right = await guess(b64(plain));
    const wrong = await guess(b64("nope"));
    assert.equal(right.status, wrong.status);
    assert.equal(right.body.message, wrong.body.message);
    assertClean(right);
    const whole = await asOp("PATCH", url(), [{ op: "test", path: "/metadata/annotations", value: {} }], JSON_PATCH);
    assertClean(whole);
  });

  test("copying a secret value out of data is refused, naming the field, and stores nothing", async () => {
    for (const path of ["/metadata/annotations/copied", "/metadata/labels/copied", "/type"]) {
      const res = await asOp("PATCH", url(), [{ op: "copy", from: "/data/password", path }], JSON_PATCH);
      assert.equal(res.status, 422, res.text);
      assertClean(res);
    }
    const from = `/metadata/annotations/${LAST_APPLIED.replace("/", "~1")}`;
    const res = await asOp("PATCH", url(), [{ op: "copy", from, path: "/metadata/annotations/copied" }], JSON_PATCH);
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.details.causes[0].field, "metadata.annotations.copied");
    const stored = await env.request("GET", url());
    assert.equal(stored.body.metadata.annotations.copied, undefined);
    // Within data a copy keeps its meaning: the stored value, not a stand-in.
    const within = await asOp(
      "PATCH",
      url(),
      [{ op: "copy", from: "/data/password", path: "/data/again" }],
      JSON_PATCH,
    );
    assert.equal(within.status, 200, within.text);
    assert.equal(Buffer.from((await env.request("GET", url())).body.data.again, "base64").toString(), plain);
  });

  test("writing the stored value again is not a no-op the caller could tell apart", async () => {
    const write = async (value: string) => {
      const before = (await env.request("GET", url())).body.metadata.resourceVersion;
      const res = await asOp("PATCH", url(), { data: { password: value } }, MERGE);
      assert.equal(res.status, 200, res.text);
      assertClean(res);
      const managers = res.body.metadata.managedFields.map((m: { manager: string }) => m.manager).sort();
      return { changed: res.body.metadata.resourceVersion !== before, managers };
    };
    const right = await write(b64(plain));
    const wrong = await write(b64("nope"));
    assert.deepEqual(right, wrong);
    await env.request("PATCH", url(), { data: { password: b64(plain) } }, MERGE);
  });

  test("a server-side apply conflicts the same whether its value equals the stored one or not", async () => {
    const apply = (value: string) =>
      asOp(
        "PATCH",
        url("db", "?fieldManager=olive-apply"),
        applied({ name: "db" }, { data: { password: value } }),
        APPLY,
      );
    const right = await apply(b64(plain));
    const wrong = await apply(b64("nope"));
    assert.equal(right.status, 409, right.text);
    assert.equal(wrong.status, 409, wrong.text);
    assert.equal(right.body.message, wrong.body.message);
    assertClean(right);
  });

  test("an immutable secret refuses a right guess as it refuses a wrong one", async () => {
    const frozen = secret({ name: "frozen" }, { stringData: { k: plain }, immutable: true });
    assert.equal((await env.request("POST", collection("secrets"), frozen)).status, 201);
    const right = await asOp("PATCH", url("frozen"), { data: { k: b64(plain) } }, MERGE);
    const wrong = await asOp("PATCH", url("frozen"), { data: { k: b64("nope") } }, MERGE);
    assert.equal(right.status, 422, right.text);
    assert.equal(wrong.status, 422, wrong.text);
    assertClean(right);
  });

  test("deletions and their dry runs, one or the whole collection, answer without content", async () => {
    const one = await asOp("DELETE", url("db", "?dryRun=All"));
    assert.equal(one.status, 200, one.text);
    assertClean(one);
    const all = await asOp("DELETE", `${collection("secrets")}?dryRun=All`);
    assert.equal(all.status, 200, all.text);
    assert.ok(all.body.items.length >= 2);
    assertClean(all);
    const gone = await asOp("DELETE", url("frozen"));
    assert.equal(gone.status, 200, gone.text);
    assertClean(gone);
  });

  test("a reader (admin) still gets the content back from its writes", async () => {
    const res = await env.request("PATCH", url(), { metadata: { labels: { admin: "yes" } } }, MERGE);
    assert.equal(res.status, 200, res.text);
    assert.equal(Buffer.from(res.body.data.password, "base64").toString(), plain);
    assert.ok(res.body.metadata.annotations[LAST_APPLIED].includes(plain));
  });

  test("a non-string stringData value is refused naming its field, without echoing it", async () => {
    const res = await asOp(
      "POST",
      collection("secrets"),
      secret({ name: "typed" }, { stringData: { port: 5432, ok: "x" } }),
    );
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string }) => c.field),
      ["stringData.port"],
    );
    assert.doesNotMatch(res.text, /5432/);
  });
});
