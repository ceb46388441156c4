import { test } from "node:test";
import assert from "node:assert/strict";
import { auditText, MAX_AUDIT_TEXT, minimalAuditRecord, sanitizeAuditRecord } from "./audit-text.ts";

test("NUL, control characters, lone surrogates and backslashes become visible escapes; other text is kept", () => {
  assert.equal(auditText("web-1"), "web-1");
  assert.equal(auditText("a\u0000b"), "a\\u0000b");
  assert.equal(auditText("line\nbreak\u007f"), "line\\u000abreak\\u007f");
  assert.equal(auditText("x\ud800y"), "x\\ud800y");
  assert.equal(auditText("pair \ud83d\ude00 kept"), "pair \ud83d\ude00 kept");
  assert.equal(auditText("back\\slash"), "back\\\\slash");
  assert.equal(auditText("\u0000".repeat(100_000)).length, MAX_AUDIT_TEXT);
});

test("a sanitized record escapes every text field", () => {
  const r = sanitizeAuditRecord({
    time: "2030-01-01T00:00:00Z",
    user: "u\u0000",
    verb: "delete",
    resource: "r",
    namespace: "n\udc00",
    name: "x",
    subresource: "s\u0001",
    code: 401,
    outcome: "failure",
  });
  assert.deepEqual([r.user, r.namespace, r.subresource], ["u\\u0000", "n\\udc00", "s\\u0001"]);
});

test("a minimal record is printable ASCII with a real time and an HTTP code", () => {
  const now = new Date("2030-01-01T00:00:00.000Z");
  const r = minimalAuditRecord(
    {
      time: "garbage",
      user: "ü\u0000",
      verb: "create",
      resource: "r",
      namespace: "n",
      name: "x",
      code: 99999,
      outcome: "failure",
      dryRun: true,
    },
    now,
  );
  assert.equal(r.time, now.toISOString());
  assert.equal(r.user, "\\u00fc\\u0000");
  assert.equal(r.code, 500);
  assert.equal(r.dryRun, undefined);
});
