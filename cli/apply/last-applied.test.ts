import { test } from "node:test";
import assert from "node:assert/strict";
import { goJson, LAST_APPLIED, lastAppliedOf, withLastApplied } from "./last-applied.ts";

test("the annotation is the manifest without it, as kubectl writes it", () => {
  const manifest = {
    kind: "Environment",
    apiVersion: "release.stella.io/v1alpha1",
    metadata: { namespace: "shop", name: "dev" },
    spec: { displayName: "Development" },
  };
  const sent = withLastApplied(manifest);
  const meta = sent.metadata as { annotations: Record<string, string> };
  // The exact text kubectl v1.32 stored for this manifest.
  assert.equal(
    meta.annotations[LAST_APPLIED],
    '{"apiVersion":"release.stella.io/v1alpha1","kind":"Environment","metadata":{"annotations":{},"name":"dev","namespace":"shop"},"spec":{"displayName":"Development"}}\n',
  );
  const again = withLastApplied(sent);
  assert.deepEqual(again, sent, "re-annotating an annotated manifest gives the same result");
  assert.deepEqual(lastAppliedOf(sent as never), { ...manifest, metadata: { ...manifest.metadata, annotations: {} } });
});

test("other annotations are kept; Go's HTML escaping is reproduced", () => {
  const sent = withLastApplied({ metadata: { name: "x", annotations: { note: "a<b & c>d" } } });
  const annotations = (sent.metadata as { annotations: Record<string, string> }).annotations;
  assert.equal(annotations.note, "a<b & c>d");
  assert.equal(
    annotations[LAST_APPLIED],
    '{"metadata":{"annotations":{"note":"a\\u003cb \\u0026 c\\u003ed"},"name":"x"}}\n',
  );
  assert.equal(goJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
});

test("a missing or unreadable annotation means no last applied manifest", () => {
  assert.equal(lastAppliedOf({ metadata: {} }), undefined);
  assert.equal(lastAppliedOf({ metadata: { annotations: { [LAST_APPLIED]: "{not json" } } }), undefined);
});
