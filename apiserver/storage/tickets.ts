// One-time tickets (schema version 4): put with a lifetime, taken once. Expiry is the database's
// clock, so apiservers on several machines agree on it; a take deletes the row whatever it finds,
// and expired rows are swept by the next put.
import type { SqlExecutor } from "./sql-executor.ts";
import { StorageError, type Ticket } from "./types.ts";

/** Stores `ticket`, first dropping expired ones; resolves to when it expires (database time). */
export async function putTicket(exec: SqlExecutor, ticket: Ticket): Promise<Date> {
  await exec.query(`DELETE FROM stella_tickets WHERE expires_at <= now()`);
  const rows = await exec.query<{ expires_at: Date | string }>(
    `INSERT INTO stella_tickets (digest, payload, expires_at)
       VALUES ($1, $2::text::jsonb, now() + make_interval(secs => $3::float8 / 1000))
     ON CONFLICT (digest) DO NOTHING
     RETURNING expires_at`,
    [ticket.digest, JSON.stringify(ticket.payload), Math.max(0, Math.round(ticket.ttlMs))],
  );
  if (rows.length === 0) throw new StorageError("KeyExists", "a ticket with this digest is stored already");
  return new Date(rows[0].expires_at);
}

/** Takes the ticket stored under `digest`: its payload if it has not expired; either way it is gone. */
export async function takeTicket(exec: SqlExecutor, digest: string): Promise<Record<string, unknown> | undefined> {
  const rows = await exec.query<{ payload: Record<string, unknown>; live: boolean }>(
    `DELETE FROM stella_tickets WHERE digest = $1 RETURNING payload, expires_at > now() AS live`,
    [digest],
  );
  return rows[0]?.live ? rows[0].payload : undefined;
}
