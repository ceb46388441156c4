import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../crds/meta.ts";
import { annotationsChanged, generationChanged, labelsChanged, or, passes } from "./predicate.ts";
import { isTerminalError, requestKey, TerminalError } from "./reconciler.ts";

const obj = (
  generation: number,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): StellaObject => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name: "prod", namespace: "shop", generation, labels, annotations },
});

test("generationChanged passes spec changes and ignores status-only updates; creates and deletes pass", () => {
  const p = generationChanged();
  assert.equal(passes.update([p], obj(1), obj(1)), false);
  assert.equal(passes.update([p], obj(1), obj(2)), true);
  assert.equal(passes.create([p], obj(1)), true);
  assert.equal(passes.delete([p], obj(1)), true);
});

test("labelsChanged and annotationsChanged compare contents", () => {
  assert.equal(passes.update([labelsChanged()], obj(1, { a: "1" }), obj(1, { a: "1" })), false);
  assert.equal(passes.update([labelsChanged()], obj(1, { a: "1" }), obj(1, { a: "2" })), true);
  assert.equal(passes.update([labelsChanged()], obj(1, { a: "1" }), obj(1)), true);
  assert.equal(passes.update([annotationsChanged()], obj(1, {}, { x: "1" }), obj(1, {}, { x: "1", y: "2" })), true);
});

test("several predicates must all pass; or() passes when one does", () => {
  const both = [generationChanged(), labelsChanged()];
  assert.equal(passes.update(both, obj(1, { a: "1" }), obj(2, { a: "1" })), false);
  const either = [or(generationChanged(), labelsChanged())];
  assert.equal(passes.update(either, obj(1, { a: "1" }), obj(1, { a: "2" })), true);
  assert.equal(passes.update(either, obj(1), obj(1)), false);
});

test("terminal errors are recognised, also as the cause of another error", () => {
  assert.equal(isTerminalError(new TerminalError("bad spec")), true);
  assert.equal(isTerminalError(new Error("wrapped", { cause: new TerminalError("bad") })), true);
  assert.equal(isTerminalError(new Error("transient")), false);
  assert.equal(isTerminalError("text"), false);
  assert.equal(requestKey({ namespace: "shop", name: "web" }), "shop/web");
  assert.equal(requestKey({ namespace: "", name: "shop" }), "shop");
});
