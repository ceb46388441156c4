import { test } from "node:test";
import assert from "node:assert/strict";
import { applyMergePatch } from "./merge-patch.ts";

test("RFC 7386 section 3 example", () => {
  const target = {
    title: "Goodbye!",
    author: { givenName: "John", familyName: "Doe" },
    tags: ["example", "sample"],
    content: "This will be unchanged",
  };
  const patch = { title: "Hello!", phoneNumber: "+01-123-456-7890", author: { familyName: null }, tags: ["example"] };
  assert.deepEqual(applyMergePatch(target, patch), {
    title: "Hello!",
    author: { givenName: "John" },
    tags: ["example"],
    content: "This will be unchanged",
    phoneNumber: "+01-123-456-7890",
  });
});

test("RFC 7386 appendix A test cases", () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) {
    assert.deepEqual(applyMergePatch(target, patch), want, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`);
  }
});

test("neither input is mutated and the result shares nothing with them", () => {
  const target = { spec: { replicas: 1, labels: { a: "1" } } };
  const patch = { spec: { replicas: 2, extra: { deep: [1, 2] } } };
  const before = structuredClone({ target, patch });
  const out = applyMergePatch(target, patch) as { spec: { extra: { deep: number[] }; labels: Record<string, string> } };
  assert.deepEqual({ target, patch }, before);
  out.spec.extra.deep.push(3);
  out.spec.labels.b = "2";
  assert.deepEqual({ target, patch }, before);
});

test("a member named __proto__ is data, not a prototype change", () => {
  const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const out = applyMergePatch({}, patch) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out).sort(), ["__proto__", "a"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
