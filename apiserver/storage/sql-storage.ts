// The Storage implementation shared by both backends, over a SqlExecutor. Writes are one round
// trip each (stella_write). Settled events come from one feed per process: on PostgreSQL a poller
// of the event log (other processes write too), on PGlite the writes themselves (write-feed.ts).
import { AuditBatcher } from "./audit-batcher.ts";
import { appendAudit, queryAudit, queryAuditPage } from "./audit-log.ts";
import { sanitizeAuditRecord } from "./audit-text.ts";
import { Compactor } from "./compactor.ts";
import { decodeContinue } from "./continue-token.ts";
import { checkDeadline } from "./deadline.ts";
import { EventNotifier } from "./event-notifier.ts";
import type { EventFeed } from "./event-feed.ts";
import { EventPoller } from "./event-poller.ts";
import { EventReads } from "./event-reads.ts";
import { ListCache } from "./list-cache.ts";
import { readPage } from "./list-query.ts";
import { migrate } from "./migrations.ts";
import { decodeObject, encodeObject, objectUid } from "./object-codec.ts";
import { DEFAULT_LIST_CACHE_BYTES, DEFAULT_RECENT_EVENTS, stderrLogger, type StorageOptions } from "./options.ts";
import { putTicket, takeTicket } from "./tickets.ts";
import type { SqlExecutor } from "./sql-executor.ts";
import {
  StorageError,
  type StorageEvent,
  type AuditPage,
  type AuditPageQuery,
  type AuditQuery,
  type AuditRecord,
  type CacheStats,
  type ListOptions,
  type ListResult,
  type ObjectKey,
  type Storage,
  type StoredObject,
  type Ticket,
  type Watch,
  type WatchHandlers,
  type WatchOptions,
  type WriteOptions,
} from "./types.ts";
import { WatchHub } from "./watch-hub.ts";
import { WriteFeed } from "./write-feed.ts";

type WriteOutcome = {
  w_outcome: "ok" | "exists" | "notfound" | "conflict";
  w_rv: number | null;
  w_data: unknown;
  /** Selected only by the write feed: the object replaced and its rv. */
  w_prev?: unknown;
  w_prev_rv?: number | null;
};
type WriteOp = "create" | "update" | "delete";
const EVENT_TYPES = { create: "ADDED", update: "MODIFIED", delete: "DELETED" } as const;

/** Storage over SQL. Open with SqlStorage.open; the executor is owned (closed with it). */
export class SqlStorage implements Storage {
  private closed = false;
  private readonly reads: EventReads;
  private readonly feed: EventFeed;
  /** Set when this process is the database's only writer (PGlite): writes hand out their own events. */
  private readonly writes: WriteFeed | undefined;
  private readonly hub: WatchHub;
  private readonly cache: ListCache | undefined;
  private readonly compactor: Compactor;
  private readonly audit: AuditBatcher;
  /** Only PostgreSQL has other processes to wake. */
  private readonly notifier: EventNotifier | undefined;
  private readonly bounds: { listCacheBytes: number; recentEvents: number };

  private constructor(
    private readonly exec: SqlExecutor,
    options: StorageOptions,
  ) {
    const logger = options.logger ?? stderrLogger;
    this.reads = new EventReads(exec);
    this.audit = new AuditBatcher(
      (records) => appendAudit(exec, records),
      (record, err) =>
        logger.warn("audit record refused by the database; stored in minimal form", {
          requestId: record.requestId,
          error: String(err),
        }),
    );
    const publish = (events: StorageEvent[], settled: number) => {
      this.hub.publish(events, settled);
      this.cache?.apply(events);
    };
    if (exec.backend === "pglite") {
      this.writes = new WriteFeed(this.reads, publish, logger);
      this.feed = this.writes;
    } else {
      this.feed = new EventPoller(exec, this.reads, publish, { pollIntervalMs: options.pollIntervalMs, logger });
    }
    const settled = () => this.feed.settled;
    this.bounds = {
      listCacheBytes: options.listCacheBytes ?? DEFAULT_LIST_CACHE_BYTES,
      recentEvents: options.recentEvents ?? DEFAULT_RECENT_EVENTS,
    };
    this.hub = new WatchHub(this.reads, settled, {
      progressIntervalMs: options.progressIntervalMs ?? 1000,
      watchQueueLimit: options.watchQueueLimit ?? 100_000,
      recentEvents: this.bounds.recentEvents,
    });
    const cacheBytes = this.bounds.listCacheBytes;
    const loadAll = (resource: string) => this.readAll(resource);
    const cacheOptions = { maxBytes: cacheBytes, logger };
    this.cache = cacheBytes > 0 ? new ListCache(() => this.hub.recent, loadAll, cacheOptions) : undefined;
    this.notifier = exec.backend === "postgres" ? new EventNotifier(exec, logger) : undefined;
    this.compactor = new Compactor(exec, () => this.settledNow(), {
      window: options.eventWindow ?? 100_000,
      intervalMs: options.compactIntervalMs ?? 60_000,
      vacuum: exec.backend === "pglite",
      logger,
    });
  }

  cacheStats(): CacheStats {
    return {
      listCacheBytes: this.cache?.size ?? 0,
      listCacheLimitBytes: this.cache ? this.bounds.listCacheBytes : 0,
      recentEvents: this.hub.recent.size,
      recentEventsLimit: this.bounds.recentEvents,
    };
  }

  /** Migrates the schema, settles the event reader and starts compaction. */
  static async open(exec: SqlExecutor, options: StorageOptions = {}): Promise<SqlStorage> {
    const storage = new SqlStorage(exec, options);
    try {
      await migrate(exec);
      await storage.feed.start();
      storage.hub.start();
      storage.compactor.start();
    } catch (err) {
      await storage.feed.stop();
      await exec.close().catch(() => {});
      throw err;
    }
    return storage;
  }

  get backend(): "pglite" | "postgres" {
    return this.exec.backend;
  }

  async get(key: ObjectKey): Promise<StoredObject | undefined> {
    this.alive();
    const [row] = await this.exec.query<{ rv: number; data: unknown }>(
      `SELECT rv, data FROM stella_objects WHERE resource = $1 AND namespace = $2 AND name = $3`,
      [key.resource, key.namespace, key.name],
    );
    return row ? decodeObject(row.data, row.rv) : undefined;
  }

  async create(key: ObjectKey, obj: StoredObject, opts: WriteOptions = {}): Promise<StoredObject> {
    const data = encodeObject(obj);
    const out = await this.write("create", key, data, objectUid(obj), null, opts.audit);
    if (out.w_outcome === "exists") throw new StorageError("KeyExists", `${describe(key)} already exists`, key);
    return decodeObject(data, this.okRV(out, key));
  }

  async update(key: ObjectKey, obj: StoredObject, expectedRV: number, opts: WriteOptions = {}): Promise<StoredObject> {
    const data = encodeObject(obj);
    const out = await this.write("update", key, data, objectUid(obj), expectedRV, opts.audit);
    return decodeObject(data, this.okRV(out, key));
  }

  async delete(key: ObjectKey, expectedRV?: number, opts: WriteOptions = {}): Promise<StoredObject> {
    const out = await this.write("delete", key, null, "", expectedRV ?? null, opts.audit);
    return decodeObject(out.w_data, this.okRV(out, key));
  }

  async list(opts: ListOptions): Promise<ListResult> {
    this.alive();
    const namespace = opts.namespace ?? null;
    const page = { resource: opts.resource, namespace, filter: opts.filter, limit: opts.limit };
    if (opts.continue) {
      const point = decodeContinue(opts.continue, opts.resource, namespace);
      // A page behind the cache is rebuilt from the ring, but answers Expired as the database would.
      if (this.cache && point.rv < this.cache.top && (await this.reads.compactedRV()) > point.rv) {
        const why = `the list at resourceVersion ${point.rv} is older than the retained event window; list again`;
        throw new StorageError("Expired", why);
      }
      const cached = this.cache?.page({ ...page, rv: point.rv, after: point.after, encoded: opts.encoded });
      return cached ?? readPage(this.exec, { ...page, rv: point.rv, after: point.after });
    }
    // A fresh list reads at a settled rv covering every write acknowledged before the call: the
    // cache is at (or past) that rv once settledNow resolves.
    for (let attempt = 0; ; attempt++) {
      const rv = await this.settledNow();
      const at = Math.max(rv, this.cache?.top ?? 0);
      const cached = this.cache?.page({ ...page, rv: at, after: ["", ""], encoded: opts.encoded });
      if (cached) return cached;
      try {
        return await readPage(this.exec, { ...page, rv, after: ["", ""] });
      } catch (err) {
        // Only a compaction racing past a just-settled rv gets here; once more with a new rv.
        if (attempt > 0 || !(err instanceof StorageError) || err.code !== "Expired") throw err;
      }
    }
  }

  // Every object of a resource as of a settled rv (loads the list cache).
  private async readAll(resource: string): Promise<{ rv: number; items: StoredObject[] }> {
    const rv = await this.settledNow();
    const { items } = await readPage(this.exec, { resource, namespace: null, rv, after: ["", ""] });
    return { rv, items };
  }

  watch(opts: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
    this.alive();
    return this.hub.watch(opts, handlers);
  }

  currentRV(): Promise<number> {
    this.alive();
    return this.settledNow();
  }

  compactedRV(): Promise<number> {
    this.alive();
    return this.reads.compactedRV();
  }

  compact(window?: number): Promise<number> {
    this.alive();
    return this.compactor.compact(window);
  }

  appendAudit(record: AuditRecord): Promise<void> {
    this.alive();
    return this.audit.append(record);
  }

  queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    this.alive();
    return queryAudit(this.exec, query);
  }

  queryAuditPage(query: AuditPageQuery): Promise<AuditPage> {
    this.alive();
    return queryAuditPage(this.exec, query);
  }

  putTicket(ticket: Ticket): Promise<Date> {
    this.alive();
    return putTicket(this.exec, ticket);
  }

  takeTicket(digest: string): Promise<Record<string, unknown> | undefined> {
    this.alive();
    return takeTicket(this.exec, digest);
  }

  async ping(): Promise<void> {
    this.alive();
    await this.exec.query(`SELECT 1`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll(new StorageError("Closed", "storage is closing"));
    await this.compactor.stop();
    await this.notifier?.stop();
    await this.feed.stop();
    await this.exec.close();
  }

  // The settled rv covering every acknowledged write.
  private settledNow(): Promise<number> {
    return this.feed.settledNow();
  }

  private async write(
    op: WriteOp,
    key: ObjectKey,
    data: string | null,
    uid: string,
    expectedRV: number | null,
    audit?: AuditRecord,
  ): Promise<WriteOutcome> {
    this.alive();
    checkDeadline(op);
    const params: unknown[] = [op, key.resource, key.namespace, key.name, uid, data, expectedRV];
    const columns = this.writes ? "w_outcome, w_rv, w_data, w_prev, w_prev_rv" : "w_outcome, w_rv, w_data";
    const call = `stella_write($1, $2, $3, $4, $5, $6::text::jsonb, $7::int8)`;
    // With an audit record, one statement writes both, so they commit together or not at all.
    const text = audit
      ? `WITH w AS (SELECT ${columns} FROM ${call}),
              a AS (INSERT INTO stella_audit (time, user_name, verb, resource, namespace, name, subresource, code, outcome, request_id, dry_run)
                    SELECT $8::timestamptz, $9, $10, $11, $12, $13, $14, $15, 'success', $16, false FROM w WHERE w.w_outcome = 'ok')
         SELECT ${columns} FROM w`
      : `SELECT ${columns} FROM ${call}`;
    if (audit) {
      const a = sanitizeAuditRecord(audit);
      params.push(
        a.time,
        a.user,
        a.verb,
        a.resource,
        a.namespace,
        a.name,
        a.subresource ?? null,
        a.code,
        a.requestId ?? null,
      );
    }
    const run = async () => (await this.exec.query<WriteOutcome>(text, params))[0];
    if (this.writes) return this.writes.run(run, (out) => writtenEvent(op, key, data, out));
    const out = await run();
    if (out.w_outcome === "ok") {
      this.feed.poke();
      this.notifier?.notify();
    }
    return out;
  }

  private okRV(out: WriteOutcome, key: ObjectKey): number {
    switch (out.w_outcome) {
      case "ok":
        return out.w_rv as number;
      case "notfound":
        throw new StorageError("NotFound", `${describe(key)} not found`, key);
      case "conflict":
        throw new StorageError(
          "Conflict",
          `${describe(key)} has resourceVersion ${out.w_rv}`,
          key,
          out.w_rv ?? undefined,
        );
      default:
        throw new StorageError("KeyExists", `${describe(key)} already exists`, key);
    }
  }

  private alive(): void {
    if (this.closed) throw new StorageError("Closed", "storage is closed");
  }
}

/** The event a successful write made, from its outcome (the write feed's source). */
function writtenEvent(op: WriteOp, key: ObjectKey, data: string | null, out: WriteOutcome): StorageEvent | undefined {
  if (out.w_outcome !== "ok") return undefined;
  const rv = out.w_rv as number;
  const prev = out.w_prev == null || out.w_prev_rv == null ? null : decodeObject(out.w_prev, out.w_prev_rv);
  const object = op === "delete" ? decodeObject(out.w_prev, rv) : decodeObject(data, rv);
  return { rv, type: EVENT_TYPES[op], key: { ...key }, object, prev };
}

function describe(key: ObjectKey): string {
  return `${key.resource} ${key.namespace ? `${key.namespace}/` : ""}${key.name}`;
}
