import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeContinue, encodeContinue } from "./continue-token.ts";
import { isStorageError } from "./types.ts";

describe("continue tokens", () => {
  const point = { rv: 42, resource: "releases", namespace: "shop", after: ["shop", "web-1"] as [string, string] };

  it("round-trip the list's rv and position, URL-safe", () => {
    const token = encodeContinue(point);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeContinue(token, "releases", "shop"), point);
    const all = encodeContinue({ ...point, namespace: null });
    assert.deepEqual(decodeContinue(all, "releases", null), { ...point, namespace: null });
  });

  it("reject malformed tokens and tokens of another list with InvalidContinue", () => {
    const token = encodeContinue(point);
    const bad = [
      "",
      "!!!",
      Buffer.from("{}").toString("base64url"),
      Buffer.from(JSON.stringify({ v: 1, rv: -1, r: "releases", ns: "shop", k: ["a", "b"] })).toString("base64url"),
    ];
    for (const t of bad)
      assert.throws(
        () => decodeContinue(t, "releases", "shop"),
        (err) => isStorageError(err, "InvalidContinue"),
        t,
      );
    assert.throws(
      () => decodeContinue(token, "targets", "shop"),
      (err) => isStorageError(err, "InvalidContinue"),
    );
    assert.throws(
      () => decodeContinue(token, "releases", null),
      (err) => isStorageError(err, "InvalidContinue"),
    );
  });
});
