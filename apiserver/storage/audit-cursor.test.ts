import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAuditCursor, encodeAuditCursor } from "./audit-cursor.ts";
import { isStorageError } from "./types.ts";

test("an audit cursor round-trips, URL-safe", () => {
  const cursor = { time: "2030-01-01T00:00:00.123Z", id: "42" };
  const token = encodeAuditCursor(cursor);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeAuditCursor(token), cursor);
});

test("a malformed audit cursor is InvalidContinue", () => {
  const enc = (body: unknown) => Buffer.from(JSON.stringify(body)).toString("base64url");
  const bad = [
    "",
    "!!!",
    enc({}),
    enc({ v: 1, t: "yesterday", i: "1" }),
    enc({ v: 1, t: "2030-01-01T00:00:00Z", i: "1; DROP TABLE x" }),
    enc(null),
  ];
  for (const token of bad)
    assert.throws(
      () => decodeAuditCursor(token),
      (err) => isStorageError(err, "InvalidContinue"),
      token,
    );
});
