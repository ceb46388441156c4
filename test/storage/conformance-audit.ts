// Conformance: the audit log.
import assert from "node:assert/strict";
import { it } from "node:test";
import { isStorageError, type AuditRecord } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";

/** Registers the audit cases. */
export function auditCases(ctx: ConformanceContext): void {
  it("appends records and finds them by user, object and time", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const base = Date.parse("2030-01-01T00:00:00.000Z");
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const records: AuditRecord[] = [
      {
        time: at(0),
        user: "alice",
        verb: "create",
        resource,
        namespace: "shop",
        name: "web",
        code: 201,
        outcome: "success",
        requestId: "r1",
      },
      {
        time: at(1),
        user: "bob",
        verb: "update",
        resource,
        namespace: "shop",
        name: "web",
        subresource: "status",
        code: 409,
        outcome: "failure",
      },
      {
        time: at(2),
        user: "alice",
        verb: "delete",
        resource,
        namespace: "shop",
        name: "db",
        code: 200,
        outcome: "success",
        dryRun: true,
      },
      {
        time: at(3),
        user: "alice",
        verb: "create",
        resource,
        namespace: "other",
        name: "web",
        code: 201,
        outcome: "success",
      },
    ];
    for (const r of records) await s.appendAudit(r);
    assert.deepEqual(await s.queryAudit({ resource }), records);
    assert.deepEqual(await s.queryAudit({ resource, user: "alice" }), [records[0], records[2], records[3]]);
    assert.deepEqual(await s.queryAudit({ resource, namespace: "shop", name: "web" }), [records[0], records[1]]);
    assert.deepEqual(await s.queryAudit({ resource, since: at(1), until: at(3) }), [records[1], records[2]]);
    assert.deepEqual(await s.queryAudit({ resource, limit: 2 }), [records[0], records[1]]);
    assert.deepEqual(await s.queryAudit({ resource, user: "nobody" }), []);
    assert.deepEqual(await s.queryAudit({ resource, verb: "create" }), [records[0], records[3]]);
    assert.deepEqual(await s.queryAudit({ resource, subresource: "status" }), [records[1]]);
  });

  it("pages newest first; records appended meanwhile never shift later pages", async () => {
    const s = ctx.storage();
    const resource = ctx.resource();
    const base = Date.parse("2031-01-01T00:00:00.000Z");
    // Two records share a millisecond: the row id orders them.
    const times = [0, 1, 1, 2, 3].map((ms) => new Date(base + ms).toISOString());
    const records: AuditRecord[] = times.map((time, i) => ({
      time,
      user: "alice",
      verb: "update",
      resource,
      namespace: "shop",
      name: `o${i}`,
      code: 200,
      outcome: "success",
    }));
    for (const r of records) await s.appendAudit(r);
    const first = await s.queryAuditPage({ resource, limit: 2 });
    assert.deepEqual(first.records, [records[4], records[3]]);
    assert.ok(first.continue);
    await s.appendAudit({ ...records[0], time: new Date(base + 10).toISOString(), name: "late" });
    const second = await s.queryAuditPage({ resource, limit: 2, continue: first.continue });
    assert.deepEqual(second.records, [records[2], records[1]]);
    const third = await s.queryAuditPage({ resource, limit: 2, continue: second.continue });
    assert.deepEqual(third.records, [records[0]]);
    assert.equal(third.continue, undefined);
    assert.deepEqual((await s.queryAuditPage({ resource, name: "o2" })).records, [records[2]]);
    await assert.rejects(s.queryAuditPage({ resource, continue: "garbage" }), (err) =>
      isStorageError(err, "InvalidContinue"),
    );
  });
}
