import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeEvent, decodeObject, encodeObject } from "./object-codec.ts";

describe("object codec", () => {
  it("stores objects without metadata.resourceVersion and returns them with it as a string", () => {
    const obj = { kind: "K", metadata: { name: "a", resourceVersion: "5" }, spec: {} };
    const text = encodeObject(obj);
    assert.deepEqual(JSON.parse(text), { kind: "K", metadata: { name: "a" }, spec: {} });
    assert.equal(obj.metadata.resourceVersion, "5", "input untouched");
    assert.deepEqual(decodeObject(JSON.parse(text), 12), {
      kind: "K",
      metadata: { name: "a", resourceVersion: "12" },
      spec: {},
    });
  });

  it("decodes an event with the object at its rv and the previous state at the rv it replaced", () => {
    const e = decodeEvent({
      rv: 9,
      type: "MODIFIED",
      resource: "r",
      namespace: "ns",
      name: "a",
      object: { metadata: { v: 2 } },
      prev: { metadata: { v: 1 } },
      prev_rv: 4,
    });
    assert.deepEqual(e.key, { resource: "r", namespace: "ns", name: "a" });
    assert.equal(e.object.metadata.resourceVersion, "9");
    assert.equal(e.prev?.metadata.resourceVersion, "4");
    assert.equal(
      decodeEvent({
        rv: 3,
        type: "ADDED",
        resource: "r",
        namespace: "",
        name: "a",
        object: { metadata: {} },
        prev: null,
        prev_rv: null,
      }).prev,
      null,
    );
  });
});

describe("object key order", () => {
  it("returns objects in manifest order whatever order the database kept", () => {
    const fromJsonb = {
      kind: "K",
      spec: {},
      status: {},
      metadata: { uid: "u", name: "a", labels: {} },
      apiVersion: "v1",
    };
    const out = decodeObject(fromJsonb, 3);
    assert.deepEqual(Object.keys(out), ["apiVersion", "kind", "metadata", "spec", "status"]);
    assert.deepEqual(Object.keys(out.metadata), ["name", "uid", "resourceVersion", "labels"]);
  });
});
