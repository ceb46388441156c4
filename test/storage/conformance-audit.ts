// Conformance: the audit log.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { AuditRecord } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";

/** Registers the audit cases. */
export function auditCases(ctx: ConformanceContext): void {
  it("appends records and finds them by user, object and time", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const base = Date.parse("2030-01-01T00:00:00.000Z");
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const records: AuditRecord[] = [
      { time: at(0), user: "alice", verb: "create", resource, namespace: "shop", name: "web", code: 201, outcome: "success", requestId: "r1" },
      { time: at(1), user: "bob", verb: "update", resource, namespace: "shop", name: "web", subresource: "status", code: 409, outcome: "failure" },
      { time: at(2), user: "alice", verb: "delete", resource, namespace: "shop", name: "db", code: 200, outcome: "success", dryRun: true },
      { time: at(3), user: "alice", verb: "create", resource, namespace: "other", name: "web", code: 201, outcome: "success" },
    ];
    for (const r of records) await s.appendAudit(r);
    assert.deepEqual(await s.queryAudit({ resource }), records);
    assert.deepEqual(await s.queryAudit({ resource, user: "alice" }), [records[0], records[2], records[3]]);
    assert.deepEqual(await s.queryAudit({ resource, namespace: "shop", name: "web" }), [records[0], records[1]]);
    assert.deepEqual(await s.queryAudit({ resource, since: at(1), until: at(3) }), [records[1], records[2]]);
    assert.deepEqual(await s.queryAudit({ resource, limit: 2 }), [records[0], records[1]]);
    assert.deepEqual(await s.queryAudit({ resource, user: "nobody" }), []);
  });
}
