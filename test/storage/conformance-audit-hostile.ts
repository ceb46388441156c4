// Conformance: the audit log keeps every record, whatever a request carried. A record with text
// PostgreSQL can not hold is stored escaped, and one the database refuses outright (here, a time
// that is no time) is stored in minimal form, without taking the records committed with it down.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { AuditRecord } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";

/** Registers the hostile-record cases. */
export function hostileAuditCases(ctx: ConformanceContext): void {
  it("concurrent appends with unstorable text and an invalid time are all stored; none is lost", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const time = new Date().toISOString();
    const ok = (i: number): AuditRecord => ({
      time,
      user: `user${i}`,
      verb: "delete",
      resource,
      namespace: "shop",
      name: `o${i}`,
      code: 401,
      outcome: "failure",
    });
    const hostile: AuditRecord[] = [
      { ...ok(1000), name: "a\u0000b", user: "x\ud800" },
      { ...ok(1001), time: "not a time", name: "late" },
    ];
    const all = [
      ...Array.from({ length: 150 }, (_, i) => ok(i)),
      ...hostile,
      ...Array.from({ length: 150 }, (_, i) => ok(i + 150)),
    ];
    await Promise.all(all.map((r) => s.appendAudit(r)));
    const stored = await s.queryAudit({ resource, limit: 10_000 });
    assert.equal(stored.length, all.length, "every append is stored");
    const byUser = new Map(stored.map((r) => [r.user, r]));
    for (let i = 0; i < 300; i++) assert.equal(byUser.get(`user${i}`)?.name, `o${i}`);
    assert.equal(byUser.get("x\\ud800")?.name, "a\\u0000b", "unstorable characters are escaped, not dropped");
    assert.equal(byUser.get("user1001")?.name, "late", "a record the database refused is kept in minimal form");
  });
}
