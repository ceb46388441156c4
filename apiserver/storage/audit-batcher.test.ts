import { test } from "node:test";
import assert from "node:assert/strict";
import { AuditBatcher } from "./audit-batcher.ts";
import { StorageError, type AuditRecord } from "./types.ts";

const rec = (name: string): AuditRecord => ({
  time: new Date().toISOString(),
  user: "u",
  verb: "create",
  resource: "r",
  namespace: "n",
  name,
  code: 201,
  outcome: "success",
});

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

test("while the database is unreachable, exactly the appends of the failed write reject", async () => {
  let calls = 0;
  const batcher = new AuditBatcher(async () => {
    if (++calls === 1) throw new StorageError("Unavailable", "db down");
  });
  await assert.rejects(batcher.append(rec("a")), /db down/);
  await batcher.append(rec("b"));
  assert.equal(calls, 2, "no retry against an unreachable database");
});

test("one record the database refuses takes no other record of its batch down, and is kept in minimal form", async () => {
  const stored: AuditRecord[] = [];
  const degraded: string[] = [];
  let release!: () => void;
  let first = true;
  const batcher = new AuditBatcher(
    async (records) => {
      if (first) {
        first = false;
        await new Promise<void>((r) => (release = r));
      }
      if (records.some((r) => r.name.includes("\u0000"))) throw new StorageError("Invalid", "value can not be stored");
      stored.push(...records);
    },
    (r) => degraded.push(r.name),
  );
  const head = batcher.append(rec("head"));
  await new Promise((r) => setImmediate(r));
  const names = ["a", "b", "bad\u0000x", "c", "d"];
  const batch = names.map((n) => batcher.append(rec(n)));
  release();
  await Promise.all([head, ...batch]);
  assert.deepEqual(stored.map((r) => r.name).sort(), ["a", "b", "bad\\u0000x", "c", "d", "head"].sort());
  assert.deepEqual(degraded, ["bad\u0000x"]);
});
