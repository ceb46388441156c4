// The audit record of one request, carried down to the storage write so the record commits in
// the same transaction as the change it describes. Requests that write nothing (refused,
// invalid, dry-run, no-op) are audited afterwards by the HTTP layer.
import type { AuditRecord } from "../storage/types.ts";

/** Who did what, known before the write; the write adds name, code and time. */
export type AuditBase = Omit<AuditRecord, "name" | "code" | "outcome" | "time">;

/** One request's audit state. */
export class AuditContext {
  /** Set once a storage write carried this request's record. */
  written = false;

  constructor(readonly base: AuditBase) {}

  /** The record of a successful write of `name` answered with `code`. */
  record(name: string, code: number): AuditRecord {
    return { ...this.base, name, code, outcome: "success", time: new Date().toISOString() };
  }
}
