// Versioned schema migrations. Each runs once, in order, inside one transaction that holds an
// advisory lock, so apiservers starting together against one database never race.
import { initialSchema } from "./migrations/0001-initial.ts";
import { evidenceSequenceIndex } from "./migrations/0002-evidence-sequence.ts";
import { writeReturnsPrev } from "./migrations/0003-write-returns-prev.ts";
import { ticketsTable } from "./migrations/0004-tickets.ts";
import type { SqlExecutor } from "./sql-executor.ts";
import { StorageError } from "./types.ts";

/** One schema version: statements applied in order, in one transaction. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Every migration Stella knows, oldest first. Append only; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, evidenceSequenceIndex, writeReturnsPrev, ticketsTable];

// pg_advisory_xact_lock key: "STELLA" in ASCII.
const LOCK_KEY = "91621404986433";

/**
 * Brings the schema up to date and returns the versions it applied. Fails with Internal when
 * the database was migrated by a newer Stella (its schema is unknown here).
 */
export async function migrate(exec: SqlExecutor, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return exec.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.query(`CREATE TABLE IF NOT EXISTS stella_schema_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const rows = await tx.query<{ version: number }>(`SELECT version FROM stella_schema_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new StorageError(
        "Internal",
        `database schema version ${newest} is newer than this Stella knows (${known})`,
      );
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query(`INSERT INTO stella_schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
