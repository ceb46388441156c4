import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EventReads, missingBetween } from "./event-reads.ts";
import { migrate } from "./migrations.ts";
import { openPgliteExecutor } from "./pglite-executor.ts";
import type { SqlExecutor } from "./sql-executor.ts";
import type { StorageEvent } from "./types.ts";

const ev = (rv: number) => ({ rv }) as StorageEvent;

describe("missingBetween", () => {
  it("lists the rvs between the settled cursor and the last held event that are not held", () => {
    assert.deepEqual(missingBetween(4, []), []);
    assert.deepEqual(missingBetween(4, [ev(5), ev(6)]), []);
    assert.deepEqual(missingBetween(4, [ev(7), ev(9)]), [5, 6, 8]);
  });
});

describe("EventReads (on PGlite)", () => {
  let dir: string;
  let exec: SqlExecutor;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stella-event-reads-"));
    exec = await openPgliteExecutor(join(dir, "db"));
    await migrate(exec);
  });
  after(async () => {
    await exec?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("read the last rv handed out by the sequence: 0 before the first, then exactly the last", async () => {
    const reads = new EventReads(exec);
    const pollLast = async () => (await reads.poll(0, [], 10, () => false)).snap.lastAllocated;
    assert.equal(await reads.lastAllocated(), 0);
    assert.equal(await pollLast(), 0);
    assert.equal((await reads.start()).lastAllocated, 0);
    for (let i = 0; i < 40; i++) await exec.query(`SELECT nextval('stella_rv')`);
    assert.equal(await reads.lastAllocated(), 40);
    assert.equal(await pollLast(), 40);
    assert.equal((await reads.start()).lastAllocated, 40);
  });
});
