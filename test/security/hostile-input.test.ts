// Issue 11, the smaller holes: hostile bodies, names and query strings sent straight to the
// server get a 4xx Status naming the field (never a 500, never a SQLSTATE), and store nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEnv, type TestEnv, type TestResponse } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

const ENVS = collection("environments");
const HEAD = '{"apiVersion":"release.stella.io/v1alpha1","kind":"Environment","metadata":{"name":"h"';

/** A YAML "billion laughs": nine levels of nine aliases each. */
const yamlBomb = (): string => {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(",")}]`,
    );
  return `${lines.join("\n")}\n`;
};

const nested = (depth: number, open: string, close: string, leaf = "1") =>
  open.repeat(depth) + leaf + close.repeat(depth);

describe("hostile input", () => {
  let env: TestEnv;
  let rvBefore: string;
  before(async () => {
    env = await startEnv();
    const res = await env.request("POST", ENVS, environment("dev"));
    assert.equal(res.status, 201, res.text);
    rvBefore = res.body.metadata.resourceVersion;
  });
  after(() => env.stop());

  /** Asserts a Status with this code, naming `field` when given, leaking no database internals; nothing stored. */
  const refused = async (res: TestResponse, code: number, field?: string) => {
    assert.equal(res.status, code, res.text.slice(0, 500));
    assert.equal(res.body?.kind, "Status", res.text.slice(0, 500));
    assert.doesNotMatch(res.text, /SQLSTATE|UTF8|stack|at .*\.ts:\d+/i);
    if (field)
      assert.ok(
        res.body.details?.causes?.some((c: { field?: string }) => c.field === field),
        `expected a cause on ${field}: ${res.text.slice(0, 500)}`,
      );
    const list = await env.request("GET", ENVS);
    assert.deepEqual(
      list.body.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ["dev"],
      "nothing else is stored",
    );
    assert.equal(list.body.items[0].metadata.resourceVersion, rvBefore, "dev is unchanged");
  };

  test("a YAML bomb is 400, as a body and as an apply patch", async () => {
    await refused(await env.request("POST", ENVS, yamlBomb(), { "content-type": "application/yaml" }), 400, "body");
    await refused(
      await env.request("PATCH", `${ENVS}/dev?fieldManager=m`, yamlBomb(), {
        "content-type": "application/apply-patch+yaml",
      }),
      400,
      "body",
    );
  });

  test("100,000 levels of nesting are 400, in JSON, YAML and apply YAML", async () => {
    await refused(await env.request("POST", ENVS, `${HEAD}},"spec":${nested(100_000, '{"a":', "}")}}`), 400);
    await refused(
      await env.request("POST", ENVS, nested(100_000, "[", "]"), { "content-type": "application/yaml" }),
      400,
      "body",
    );
    // Found by the fuzzer: unclosed flow sequences this deep made the yaml parser abort the process.
    await refused(
      await env.request("POST", ENVS, "[".repeat(40_000), { "content-type": "application/yaml" }),
      400,
      "body",
    );
    await refused(
      await env.request("PATCH", `${ENVS}/dev?fieldManager=m`, nested(100_000, "{a: ", "}"), {
        "content-type": "application/apply-patch+yaml",
      }),
      400,
    );
    await refused(
      await env.request("PATCH", `${ENVS}/dev`, `{"spec":${nested(5_000, "[", "]")}}`, {
        "content-type": "application/merge-patch+json",
      }),
      400,
    );
  });

  test("deep managedFields are 400 naming the field", async () => {
    const e = environment("mf");
    e.metadata.managedFields = [
      {
        manager: "x",
        operation: "Update",
        fieldsType: "FieldsV1",
        fieldsV1: JSON.parse(nested(2_000, '{"f:a":', "}", "{}")),
      },
    ];
    const res = await env.request("POST", ENVS, e);
    await refused(res, 400);
    assert.match(res.body.details.causes[0].field, /^metadata\.managedFields\[0\]\.fieldsV1/);
  });

  test("a lone UTF-16 surrogate or a NUL in a body is 400 naming the field", async () => {
    await refused(
      await env.request("POST", ENVS, `${HEAD},"annotations":{"a":"\\ud800"}},"spec":{}}`),
      400,
      "metadata.annotations.a",
    );
    await refused(
      await env.request("POST", ENVS, `${HEAD},"labels":{"k":"\\u0000"}},"spec":{}}`),
      400,
      "metadata.labels.k",
    );
    await refused(
      await env.request("PATCH", `${ENVS}/dev`, '{"spec":{"displayName":"x\\udfff"}}', {
        "content-type": "application/merge-patch+json",
      }),
      400,
      "spec.displayName",
    );
  });

  test("annotations over 256 KiB and 100,000 labels are 422 naming the field", async () => {
    const big = environment("big");
    big.metadata.annotations = { a: "x".repeat(2_900_000) };
    await refused(await env.request("POST", ENVS, big), 422, "metadata.annotations");
    const many = environment("many");
    many.metadata.labels = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, "v"]));
    await refused(await env.request("POST", ENVS, many), 422, "metadata.labels");
    const longValue = environment("long");
    longValue.metadata.labels = { k: "v".repeat(64) };
    await refused(await env.request("POST", ENVS, longValue), 422, "metadata.labels.k");
    const longPrefix = environment("prefix");
    longPrefix.metadata.annotations = { [`${"a".repeat(254)}/k`]: "v" };
    await refused(await env.request("POST", ENVS, longPrefix), 422);
  });

  test("a label key or value outside Kubernetes' syntax is 422 naming the label", async () => {
    for (const key of ["bad key!", "/k", "Example.com/k", "-k", "a b", "k".repeat(64)]) {
      const bad = environment("label-key");
      bad.metadata.labels = { [key]: "v" };
      const res = await env.request("POST", ENVS, bad);
      await refused(res, 422);
      const fields = (res.body.details?.causes ?? []).map((c: { field?: string }) => c.field ?? "");
      assert.ok(
        fields.some((f: string) => f.startsWith("metadata.labels") && f.includes(key)),
        `a cause naming label ${key}: ${fields.join(", ")}`,
      );
    }
    for (const value of ["-v", "a b", "v!"]) {
      const bad = environment("label-value");
      bad.metadata.labels = { k: value };
      await refused(await env.request("POST", ENVS, bad), 422, "metadata.labels.k");
    }
  });

  test("a spec, status or metadata that is not an object is 422 naming it, in a body or a patched result (fuzz finding)", async () => {
    const promotions = collection("promotions");
    await refused(
      await env.request(
        "POST",
        promotions,
        '{"apiVersion":"release.stella.io/v1alpha1","kind":"Promotion","metadata":{"name":"p"},"spec":-1}',
      ),
      422,
      "spec",
    );
    await refused(
      await env.request(
        "POST",
        collection("deployments"),
        '{"apiVersion":"release.stella.io/v1alpha1","kind":"Deployment","metadata":{"name":"d"},"spec":"x"}',
      ),
      422,
      "spec",
    );
    const jsonPatch = { "content-type": "application/json-patch+json" };
    await refused(
      await env.request("PATCH", `${ENVS}/dev`, '[{"op":"replace","path":"/metadata","value":5}]', jsonPatch),
      422,
      "metadata",
    );
    await refused(
      await env.request("PATCH", `${ENVS}/dev`, '[{"op":"replace","path":"/spec","value":[1]}]', jsonPatch),
      422,
      "spec",
    );
    await refused(
      await env.request("PATCH", `${ENVS}/dev`, '[{"op":"replace","path":"","value":null}]', jsonPatch),
      422,
    );
  });

  test("names that can not be names in the path are 400 before authentication", async () => {
    for (const name of ["a%00b", "a%zzb", "%ED%A0%80", "a%0Ab", "a%252Fb", "a%2Fb"]) {
      await refused(await env.request("GET", `${ENVS}/${name}`), 400, "path");
      await refused(await env.request("DELETE", `${ENVS}/${name}`, undefined, { authorization: "" }), 400, "path");
    }
    // The URL parser resolves an encoded ".." away before the server sees it: no such resource.
    await refused(await env.request("DELETE", `${ENVS}/%2E%2E`), 404);
  });

  test("a list at a future resourceVersion waits, then answers 504 Too large resource version", async () => {
    for (const match of ["NotOlderThan", "Exact", ""]) {
      const res = await env.request("GET", `${ENVS}?resourceVersion=999999&resourceVersionMatch=${match}`);
      assert.equal(res.status, 504, res.text);
      assert.equal(res.body.reason, "Timeout");
      assert.match(res.body.message, /Too large resource version/);
      assert.equal(res.body.details.causes[0].reason, "ResourceVersionTooLarge");
      assert.ok(res.body.details.retryAfterSeconds >= 1);
    }
    const ok = await env.request("GET", `${ENVS}?resourceVersion=${rvBefore}&resourceVersionMatch=NotOlderThan`);
    assert.equal(ok.status, 200);
  });
});
