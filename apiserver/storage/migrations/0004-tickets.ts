// Schema version 4: one-time tickets (the dashboard's sign-in codes). A ticket is stored by the
// digest of its secret, holds a small JSON payload and an expiry, and is taken by one DELETE ...
// RETURNING, so of several apiservers sharing the database exactly one can redeem it. Tickets are
// not objects: they have no resourceVersion, no events and no audit record of their own.
import type { Migration } from "../migrations.ts";

/** The tickets table. */
export const ticketsTable: Migration = {
  version: 4,
  name: "tickets",
  statements: [
    `CREATE TABLE stella_tickets (
       digest text PRIMARY KEY,
       payload jsonb NOT NULL,
       expires_at timestamptz NOT NULL)`,
    `CREATE INDEX stella_tickets_expiry ON stella_tickets (expires_at)`,
  ],
};
