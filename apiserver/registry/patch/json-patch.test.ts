import { test } from "node:test";
import assert from "node:assert/strict";
import { PatchError } from "./errors.ts";
import { applyJsonPatch, parseJsonPatch } from "./json-patch.ts";
import { formatPointer, parsePointer } from "./json-pointer.ts";

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PatchError, `expected a PatchError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the patch to fail");
}

// RFC 6902 appendix A, one test per example.
test("A.1 adding an object member", () => {
  assert.deepEqual(applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }]), {
    baz: "qux",
    foo: "bar",
  });
});

test("A.2 adding an array element", () => {
  assert.deepEqual(applyJsonPatch({ foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }]), {
    foo: ["bar", "qux", "baz"],
  });
});

test("A.3 removing an object member", () => {
  assert.deepEqual(applyJsonPatch({ baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }]), { foo: "bar" });
});

test("A.4 removing an array element", () => {
  assert.deepEqual(applyJsonPatch({ foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }]), {
    foo: ["bar", "baz"],
  });
});

test("A.5 replacing a value", () => {
  assert.deepEqual(applyJsonPatch({ baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }]), {
    baz: "boo",
    foo: "bar",
  });
});

test("A.6 moving a value", () => {
  const doc = { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } };
  assert.deepEqual(applyJsonPatch(doc, [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }]), {
    foo: { bar: "baz" },
    qux: { corge: "grault", thud: "fred" },
  });
});

test("A.7 moving an array element", () => {
  const doc = { foo: ["all", "grass", "cows", "eat"] };
  assert.deepEqual(applyJsonPatch(doc, [{ op: "move", from: "/foo/1", path: "/foo/3" }]), {
    foo: ["all", "cows", "eat", "grass"],
  });
});

test("A.8 testing a value: success", () => {
  const doc = { baz: "qux", foo: ["a", 2, "c"] };
  const ops = [
    { op: "test", path: "/baz", value: "qux" },
    { op: "test", path: "/foo/1", value: 2 },
  ];
  assert.deepEqual(applyJsonPatch(doc, ops), doc);
});

test("A.9 testing a value: error names the op, its index and path", () => {
  const err = failure(() => applyJsonPatch({ baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }]));
  assert.equal(err.failure, "Failed");
  assert.equal(err.opIndex, 0);
  assert.equal(err.op, "test");
  assert.equal(err.path, "/baz");
  assert.equal(err.message, "op 0 (test) at /baz: value does not match");
});

test("A.10 adding a nested member object", () => {
  assert.deepEqual(applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/child", value: { grandchild: {} } }]), {
    foo: "bar",
    child: { grandchild: {} },
  });
});

test("A.11 ignoring unrecognized elements", () => {
  assert.deepEqual(applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz", value: "qux", xyz: 123 }]), {
    foo: "bar",
    baz: "qux",
  });
});

test("A.12 adding to a nonexistent target fails", () => {
  const err = failure(() => applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }]));
  assert.equal(err.failure, "Failed");
  assert.equal(err.path, "/baz/bat");
});

test("A.14 ~ escape ordering", () => {
  const doc = { "/": 9, "~1": 10 };
  assert.deepEqual(applyJsonPatch(doc, [{ op: "test", path: "/~01", value: 10 }]), doc);
  assert.deepEqual(applyJsonPatch(doc, [{ op: "test", path: "/~1", value: 9 }]), doc);
});

test("A.15 comparing strings and numbers fails", () => {
  const doc = { "/": 9, "~1": 10 };
  const err = failure(() => applyJsonPatch(doc, [{ op: "test", path: "/~01", value: "10" }]));
  assert.equal(err.failure, "Failed");
});

test("A.16 adding an array value", () => {
  assert.deepEqual(applyJsonPatch({ foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc", "def"] }]), {
    foo: ["bar", ["abc", "def"]],
  });
});

test("test compares objects regardless of member order", () => {
  const doc = { spec: { a: 1, b: [1, { c: 2 }] } };
  assert.deepEqual(applyJsonPatch(doc, [{ op: "test", path: "/spec", value: { b: [1, { c: 2 }], a: 1 } }]), doc);
});

test("copy, replace of the root, add to the root", () => {
  assert.deepEqual(applyJsonPatch({ a: { b: 1 } }, [{ op: "copy", from: "/a", path: "/c" }]), {
    a: { b: 1 },
    c: { b: 1 },
  });
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: "replace", path: "", value: { z: 2 } }]), { z: 2 });
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: "add", path: "", value: [1] }]), [1]);
});

test("the input document and the op values are never mutated or shared", () => {
  const doc = { spec: { list: [1, 2], meta: { a: "1" } } };
  const value = { nested: [1] };
  const before = structuredClone({ doc, value });
  const out = applyJsonPatch(doc, [
    { op: "add", path: "/spec/list/-", value: 3 },
    { op: "remove", path: "/spec/meta/a" },
    { op: "add", path: "/spec/v", value },
  ]) as { spec: { v: { nested: number[] } } };
  assert.deepEqual({ doc, value }, before);
  out.spec.v.nested.push(2);
  assert.deepEqual(value, { nested: [1] });
});

test("a failing operation leaves nothing half-applied", () => {
  const doc = { a: 1 };
  failure(() =>
    applyJsonPatch(doc, [
      { op: "add", path: "/b", value: 2 },
      { op: "remove", path: "/missing" },
    ]),
  );
  assert.deepEqual(doc, { a: 1 });
});

test("failed operations report which op and path", () => {
  const cases: [unknown, unknown[], number, string][] = [
    [{ a: [1] }, [{ op: "add", path: "/a/5", value: 0 }], 0, "/a/5"],
    [{ a: [1] }, [{ op: "add", path: "/a/01", value: 0 }], 0, "/a/01"],
    [
      { a: [1] },
      [
        { op: "test", path: "/a", value: [1] },
        { op: "remove", path: "/a/-" },
      ],
      1,
      "/a/-",
    ],
    [{ a: 1 }, [{ op: "replace", path: "/b", value: 0 }], 0, "/b"],
    [{ a: { b: 1 } }, [{ op: "move", from: "/a", path: "/a/b/c" }], 0, "/a/b/c"],
    [{ a: 1 }, [{ op: "copy", from: "/nope", path: "/b" }], 0, "/b"],
    [{ a: "x" }, [{ op: "add", path: "/a/b", value: 0 }], 0, "/a/b"],
    [{ a: 1 }, [{ op: "remove", path: "" }], 0, ""],
  ];
  for (const [doc, ops, index, path] of cases) {
    const err = failure(() => applyJsonPatch(doc, ops));
    assert.equal(err.failure, "Failed", JSON.stringify(ops));
    assert.equal(err.opIndex, index, JSON.stringify(ops));
    assert.equal(err.path, path, JSON.stringify(ops));
  }
});

test("malformed patch documents are rejected before anything applies", () => {
  const cases: [unknown, number | undefined, string][] = [
    [{ op: "add", path: "/a", value: 1 }, undefined, "must be an array"],
    [[1], 0, "must be an object"],
    [[{ path: "/a" }], 0, 'missing "op"'],
    [[{ op: "frob", path: "/a" }], 0, "unknown operation"],
    [[{ op: "add", value: 1 }], 0, 'missing "path"'],
    [[{ op: "add", path: "a", value: 1 }], 0, "invalid JSON pointer"],
    [[{ op: "add", path: "/a~2", value: 1 }], 0, "invalid JSON pointer"],
    [
      [
        { op: "remove", path: "/a" },
        { op: "replace", path: "/a" },
      ],
      1,
      'missing "value"',
    ],
    [[{ op: "move", path: "/a" }], 0, 'missing "from"'],
  ];
  for (const [ops, index, detail] of cases) {
    const err = failure(() => applyJsonPatch({ a: 1 }, ops));
    assert.equal(err.failure, "Malformed", JSON.stringify(ops));
    assert.equal(err.opIndex, index, JSON.stringify(ops));
    assert.ok(err.detail.includes(detail), `${err.detail} should mention ${detail}`);
  }
  assert.equal(
    failure(() => applyJsonPatch({}, [{ op: "test", path: "/x" }])).message,
    'op 0 (test) at /x: missing "value"',
  );
});

test("null is a valid value; an absent one is not", () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: "replace", path: "/a", value: null }]), { a: null });
});

test("PatchError maps to 400 when malformed and 422 when it does not apply", () => {
  const malformed = failure(() => applyJsonPatch({}, "nope"));
  assert.equal(malformed.toApiError().code, 400);
  const failed = failure(() => applyJsonPatch({ spec: { x: 1 } }, [{ op: "test", path: "/spec/x", value: 2 }]));
  const status = failed.toApiError().toStatus();
  assert.equal(status.code, 422);
  assert.equal(status.reason, "Invalid");
  assert.equal(status.details?.causes?.[0].field, "spec.x");
});

test("parseJsonPatch returns typed operations", () => {
  assert.deepEqual(parseJsonPatch([{ op: "move", from: "/a", path: "/b", extra: 1 }]), [
    { op: "move", from: "/a", path: "/b" },
  ]);
});

test("JSON pointers round-trip with ~0 and ~1", () => {
  assert.deepEqual(parsePointer("/a~1b/c~0d/~01"), ["a/b", "c~d", "~1"]);
  assert.equal(formatPointer(["a/b", "c~d", "~1"]), "/a~1b/c~0d/~01");
  assert.deepEqual(parsePointer(""), []);
  assert.deepEqual(parsePointer("/"), [""]);
});

test("adding a member named __proto__ creates data, not a prototype", () => {
  const out = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { x: 1 } }]) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.ok(Object.hasOwn(out, "__proto__"));
});
