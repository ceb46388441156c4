import { test } from "node:test";
import assert from "node:assert/strict";
import { isInvalid, type ApiError } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { secretKind } from "../../crds/secret.ts";
import { blindView } from "./blind-write.ts";
import { LAST_APPLIED, secretContent } from "./strategies/secret-content.ts";

const stored = () =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Secret",
    metadata: {
      name: "s",
      namespace: "default",
      annotations: { [LAST_APPLIED]: '{"stringData":{"a":"plain"}}', note: "kept" },
    },
    data: { a: "cGxhaW4=", b: "Yg==" },
  }) as unknown as StellaObject;

const dataOf = (o: StellaObject) => (o as unknown as { data: Record<string, string> }).data;

test("the view holds tokens instead of every secret value, and restore puts the values back", () => {
  const view = blindView(secretKind, secretContent, stored());
  const text = JSON.stringify(view.object);
  assert.ok(!text.includes("cGxhaW4=") && !text.includes("plain"), text);
  assert.equal(view.object.metadata.annotations?.note, "kept");
  assert.deepEqual(view.restore(view.object), stored());
});

test("a token moved within its group restores to the value it stands for", () => {
  const view = blindView(secretKind, secretContent, stored());
  const next = structuredClone(view.object);
  dataOf(next).c = dataOf(view.object).a;
  delete (dataOf(next) as Record<string, string>).a;
  assert.deepEqual(dataOf(view.restore(next)), { b: "Yg==", c: "cGxhaW4=" });
});

test("a token outside its group is refused, naming the field", () => {
  const view = blindView(secretKind, secretContent, stored());
  for (const [field, place] of [
    ["metadata.labels.x", (o: StellaObject, t: string) => (o.metadata.labels = { x: t })],
    ["data.z", (o: StellaObject) => (dataOf(o).z = o.metadata.annotations![LAST_APPLIED])],
  ] as const) {
    const next = structuredClone(view.object);
    place(next, dataOf(view.object).a);
    assert.throws(
      () => view.restore(next),
      (err: ApiError) => isInvalid(err) && err.details.causes?.[0]?.field === field,
    );
  }
});

test("each view has fresh tokens, so nothing learnt from one request helps in the next", () => {
  const a = blindView(secretKind, secretContent, stored());
  const b = blindView(secretKind, secretContent, stored());
  assert.notEqual(dataOf(a.object).a, dataOf(b.object).a);
  assert.match(dataOf(a.object).a, /^[A-Za-z0-9+/]{24}$/, "tokens are valid base64, as data values must be");
});
