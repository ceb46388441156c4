import { test } from "node:test";
import assert from "node:assert/strict";
import { AuditBatcher } from "./audit-batcher.ts";
import type { AuditRecord } from "./types.ts";

const rec = (name: string): AuditRecord => ({ time: new Date().toISOString(), user: "u", verb: "create", resource: "r", namespace: "n", name, code: 201, outcome: "success" });

test("appends made while a write is in flight share the next write, and each resolves after its own commit", async () => {
  const writes: string[][] = [];
  let release!: () => void;
  const batcher = new AuditBatcher(async (records) => {
    writes.push(records.map((r) => r.name));
    if (writes.length === 1) await new Promise<void>((r) => (release = r));
  });
  let firstDone = false;
  const first = batcher.append(rec("a")).then(() => (firstDone = true));
  const rest = [batcher.append(rec("b")), batcher.append(rec("c"))];
  await new Promise((r) => setImmediate(r));
  assert.equal(firstDone, false, "not acknowledged before its write completes");
  release();
  await Promise.all([first, ...rest]);
  assert.deepEqual(writes, [["a"], ["b", "c"]]);
});

test("a failed write rejects exactly the appends in it", async () => {
  let calls = 0;
  const batcher = new AuditBatcher(async () => {
    if (++calls === 1) throw new Error("db down");
  });
  await assert.rejects(batcher.append(rec("a")), /db down/);
  await batcher.append(rec("b"));
});
