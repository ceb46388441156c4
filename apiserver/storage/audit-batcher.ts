// Group commit for the audit log: records that arrive while an INSERT is in flight go together
// in the next one. Every append still resolves only after its record is committed, so an
// acknowledged request is audited durably, but concurrent requests share one commit.
//
// One bad record must not take its batch down (a client could otherwise erase other users'
// records by sending one): when a batch fails, its records are written one by one, and a record
// refused alone is written in minimal form. Only when the database is unreachable do appends
// fail; the caller raises the alarm for each.
import { minimalAuditRecord } from "./audit-text.ts";
import { isStorageError, type AuditRecord } from "./types.ts";

type Pending = { record: AuditRecord; resolve: () => void; reject: (err: unknown) => void };

/** The most records one INSERT carries (PostgreSQL allows 65535 parameters; 11 per record). */
const MAX_BATCH = 500;

/** Told about each record that was stored only in minimal form. */
export type OnDegraded = (record: AuditRecord, err: unknown) => void;

// Retrying record by record can not help while the database is away; it would only queue up.
const unreachable = (err: unknown) => isStorageError(err, "Unavailable") || isStorageError(err, "Closed");

/** Batches appends onto a writer of record lists. */
export class AuditBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly write: (records: AuditRecord[]) => Promise<void>,
    private readonly onDegraded: OnDegraded = () => {},
  ) {}

  /** Resolves once `record` is committed (alone, with others, or in minimal form). */
  append(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.write(batch.map((p) => p.record));
        for (const p of batch) p.resolve();
      } catch (err) {
        if (unreachable(err) || batch.length === 1) await Promise.all(batch.map((p) => this.alone(p, err)));
        else for (const p of batch) await this.alone(p);
      }
    }
    this.flushing = false;
  }

  // Writes one record by itself (unless `failed` already says how that went), then in minimal form.
  private async alone(p: Pending, failed?: unknown): Promise<void> {
    let err = failed;
    if (err === undefined) {
      try {
        await this.write([p.record]);
        return p.resolve();
      } catch (e) {
        err = e;
      }
    }
    if (unreachable(err)) return p.reject(err);
    try {
      await this.write([minimalAuditRecord(p.record)]);
      this.onDegraded(p.record, err);
      p.resolve();
    } catch (e) {
      p.reject(e);
    }
  }
}
