import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { migrate, MIGRATIONS } from "./migrations.ts";
import { openPgliteExecutor } from "./pglite-executor.ts";
import type { SqlExecutor } from "./sql-executor.ts";
import { isStorageError } from "./types.ts";

describe("migrations (on PGlite)", () => {
  let dir: string;
  let exec: SqlExecutor;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stella-migrations-"));
    exec = await openPgliteExecutor(join(dir, "db"));
  });
  after(async () => {
    await exec?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("apply each version once, in order, and record it", async () => {
    assert.deepEqual(
      await migrate(exec),
      MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual(await migrate(exec), []);
    const rows = await exec.query<{ version: number }>("SELECT version FROM stella_schema_migrations ORDER BY version");
    assert.deepEqual(
      rows.map((r) => r.version),
      MIGRATIONS.map((m) => m.version),
    );
  });

  it("run a new version's statements in one transaction: a failing one leaves nothing behind", async () => {
    const broken = {
      version: 99,
      name: "broken",
      statements: ["CREATE TABLE half_done (x int)", "SELECT * FROM no_such_table"],
    };
    await assert.rejects(migrate(exec, [...MIGRATIONS, broken]), (err) => isStorageError(err, "Internal"));
    const tables = await exec.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    assert.equal(tables.length, 0);
  });

  it("refuse a database migrated by a newer Stella", async () => {
    await exec.query("INSERT INTO stella_schema_migrations (version, name) VALUES (1000, 'future')");
    await assert.rejects(migrate(exec), (err) => isStorageError(err, "Internal"));
    await exec.query("DELETE FROM stella_schema_migrations WHERE version = 1000");
  });

  it("keep a second process out of the PGlite directory", async () => {
    await assert.rejects(openPgliteExecutor(join(dir, "db")), (err) => isStorageError(err, "Unavailable"));
  });
});
