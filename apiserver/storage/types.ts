// The storage contract: one interface, two implementations (PGlite embedded, PostgreSQL).
// Storage knows nothing about kinds, schemas or HTTP; it stores JSON objects under keys,
// assigns resource versions, and streams change events in resourceVersion order.

/** Where an object lives. `namespace` is "" for cluster-scoped resources. */
export interface ObjectKey {
  /** The resource's plural name within the group, e.g. "environments". */
  resource: string;
  namespace: string;
  name: string;
}

/**
 * A stored object: plain JSON. The storage layer owns `metadata.resourceVersion`: it strips
 * it on write and sets it (as a decimal string) on every object it returns.
 */
export type StoredObject = Record<string, unknown> & { metadata: Record<string, unknown> };

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

/** One committed change. `prev` is the object as it was before (null for ADDED). */
export interface StorageEvent {
  rv: number;
  type: EventType;
  key: ObjectKey;
  object: StoredObject;
  prev: StoredObject | null;
}

/** What to list: one resource, optionally one namespace; a filter applied before `limit`. */
export interface ListOptions {
  resource: string;
  namespace?: string;
  /** Keep only objects this returns true for (label and field selectors). */
  filter?: (obj: StoredObject) => boolean;
  limit?: number;
  /** Opaque token from a previous page of the same list. */
  continue?: string;
  /** The caller can take the items as UTF-8 JSON: the result may carry `encodedItems` instead of `items`. */
  encoded?: boolean;
}

export interface ListResult {
  items: StoredObject[];
  /** The list is exactly the state at this resourceVersion; watching from it yields every later change. */
  rv: number;
  /** Set when more items remain; pass back in ListOptions.continue. */
  continue?: string;
  /** Items left after this page when known (Kubernetes remainingItemCount). */
  remainingItemCount?: number;
  /** When asked for (ListOptions.encoded) and available: each item as UTF-8 JSON, `items` then empty. */
  encodedItems?: Uint8Array[];
}

/** What to watch. Events with rv > sinceRV, in rv order, each exactly once. */
export interface WatchOptions {
  resource?: string;
  namespace?: string;
  sinceRV: number;
}

/** A live watch: events flow to `onEvent`; `close()` stops delivery. */
export interface Watch {
  close(): void;
  /** Resolves when the watch ends, by close() or by the storage closing. */
  readonly done: Promise<void>;
}

export interface WatchHandlers {
  /**
   * Receives the next event. A returned promise is awaited before the next event of this watch
   * (backpressure); a watch whose backlog exceeds the storage's bound ends with onError(Unavailable).
   */
  onEvent(event: StorageEvent): void | Promise<void>;
  /** Called once when the watch can not go on (e.g. the storage is closing). */
  onError?(err: StorageError): void;
  /** Called with the storage's settled resourceVersion when no event arrived for a while (for bookmarks). */
  onProgress?(rv: number): void;
}

/** Audit record of one mutating request. */
export interface AuditRecord {
  time: string;
  user: string;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  subresource?: string;
  code: number;
  outcome: "success" | "failure";
  requestId?: string;
  dryRun?: boolean;
}

/** Options of a write. */
export interface WriteOptions {
  /** Committed in the same transaction as the write, and only if the write succeeds. */
  audit?: AuditRecord;
}

/** Which audit records to find: each given field must match exactly; `since` inclusive, `until` exclusive. */
export interface AuditQuery {
  user?: string;
  resource?: string;
  /** Only records of this subresource of `resource` (e.g. "approval"). */
  subresource?: string;
  namespace?: string;
  name?: string;
  verb?: string;
  since?: string;
  until?: string;
  limit?: number;
}

/** An AuditQuery for one page, newest first; `continue` comes from the previous page. */
export interface AuditPageQuery extends AuditQuery {
  continue?: string;
}

/** One page of audit records, newest first; `continue` is set when older records remain. */
export interface AuditPage {
  records: AuditRecord[];
  continue?: string;
}

/** A one-time ticket: stored under the digest of its secret (never the secret), for `ttlMs`. */
export interface Ticket {
  digest: string;
  /** Small JSON; kept as given until taken or expired. */
  payload: Record<string, unknown>;
  ttlMs: number;
}

/** Storage of one apiserver process. Every method may throw StorageError, and nothing else. */
/** What the storage's in-memory caches hold now, against their configured bounds. */
export interface CacheStats {
  /** JSON bytes the list cache holds, and its bound (0: the cache is off). */
  listCacheBytes: number;
  listCacheLimitBytes: number;
  /** Events in the recent-event ring watches start from, and its capacity. */
  recentEvents: number;
  recentEventsLimit: number;
}

export interface Storage {
  readonly backend: "pglite" | "postgres";
  /** What the in-memory caches hold (absent on storages without any). */
  cacheStats?(): CacheStats;
  get(key: ObjectKey): Promise<StoredObject | undefined>;
  /** Fails with KeyExists when the key is taken. */
  create(key: ObjectKey, obj: StoredObject, opts?: WriteOptions): Promise<StoredObject>;
  /** Replaces the object if its current rv equals expectedRV. Fails with NotFound or Conflict. */
  update(key: ObjectKey, obj: StoredObject, expectedRV: number, opts?: WriteOptions): Promise<StoredObject>;
  /** Removes the object (if expectedRV is given, only at that rv); returns it with the delete's rv. */
  delete(key: ObjectKey, expectedRV?: number, opts?: WriteOptions): Promise<StoredObject>;
  list(opts: ListOptions): Promise<ListResult>;
  /** Fails with Expired when sinceRV is older than the retained event window. */
  watch(opts: WatchOptions, handlers: WatchHandlers): Promise<Watch>;
  /** The latest settled resourceVersion: every event at or below it is visible and final. */
  currentRV(): Promise<number>;
  /** The oldest resourceVersion a watch may still start from. */
  compactedRV(): Promise<number>;
  /** Drops events so that at most `window` recent events remain. Returns how many were dropped. */
  compact(window?: number): Promise<number>;
  appendAudit(record: AuditRecord): Promise<void>;
  /** Matching records, oldest first. */
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** One page of matching records, newest first. Fails with InvalidContinue on a bad token. */
  queryAuditPage(query: AuditPageQuery): Promise<AuditPage>;
  /** Stores a one-time ticket; resolves to when it expires. Fails with KeyExists if the digest is taken. */
  putTicket(ticket: Ticket): Promise<Date>;
  /**
   * The payload of the ticket under `digest`, once: the ticket is gone after this call whatever it
   * returns, and of callers racing (in any process on the same database) at most one gets it.
   * Undefined when there is none or it has expired.
   */
  takeTicket(digest: string): Promise<Record<string, unknown> | undefined>;
  /** Round-trips to the database; for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Why a storage call failed. Invalid: the object can not be stored as given (e.g. a string with a
 * NUL character, which PostgreSQL's jsonb rejects). Unavailable: the database is unreachable, or a
 * watch fell too far behind; retrying later may succeed.
 */
export type StorageErrorCode =
  | "NotFound"
  | "KeyExists"
  | "Conflict"
  | "Expired"
  | "InvalidContinue"
  | "Invalid"
  | "Unavailable"
  | "Closed"
  /** The request's deadline passed before the operation was sent; nothing was written. */
  | "Timeout"
  | "Internal";

/** The only error storage throws. Database errors (SQLSTATEs) are translated into these. */
export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly key?: ObjectKey,
    /** For Conflict: the rv actually stored. */
    readonly currentRV?: number,
  ) {
    super(message);
  }
}

export const isStorageError = (err: unknown, code?: StorageErrorCode): err is StorageError =>
  err instanceof StorageError && (code === undefined || err.code === code);
