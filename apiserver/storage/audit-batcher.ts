// Group commit for the audit log: records that arrive while an INSERT is in flight go together
// in the next one. Every append still resolves only after its record is committed, so an
// acknowledged request is audited durably, but concurrent requests share one commit.
import type { AuditRecord } from "./types.ts";

type Pending = { record: AuditRecord; resolve: () => void; reject: (err: unknown) => void };

/** The most records one INSERT carries (PostgreSQL allows 65535 parameters; 11 per record). */
const MAX_BATCH = 500;

/** Batches appends onto a writer of record lists. */
export class AuditBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly write: (records: AuditRecord[]) => Promise<void>) {}

  /** Resolves once `record` is committed (alone or with others). */
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
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = false;
  }
}
