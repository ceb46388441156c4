// How a storage is opened and tuned.

/** Where the data lives: an embedded PGlite directory, or a PostgreSQL server. */
export type StorageConfig =
  | { backend: "pglite"; dataDir: string; sharedBuffersMiB?: number }
  | { backend: "postgres"; url: string; poolSize?: number };

/** The logging the storage needs (a subset of apiserver/logging's Logger). */
export interface StorageLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The list cache's default bound: 192 MiB of JSON over all resources. */
export const DEFAULT_LIST_CACHE_BYTES = 192 * 2 ** 20;
/** The recent-event ring's default capacity. */
export const DEFAULT_RECENT_EVENTS = 10_000;

/** Tuning. Every field has a default. */
export interface StorageOptions {
  /** Events kept for watches to resume from; compaction drops older ones (default 100000). */
  eventWindow?: number;
  /** How often compaction runs; 0 disables the timer (default 60000 ms). */
  compactIntervalMs?: number;
  /** Fallback event poll interval when no NOTIFY arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /** How often idle watches get onProgress (default 1000 ms). */
  progressIntervalMs?: number;
  /** Events buffered for one watch before it is ended as too slow (default 100000). */
  watchQueueLimit?: number;
  /** Recent events kept in memory to start watches without reading the database (default 10000). */
  recentEvents?: number;
  /**
   * Bytes of JSON text the list cache may hold over all resources (default 192 MiB); past it the
   * largest resource is listed from the database instead. 0 turns the cache off.
   */
  listCacheBytes?: number;
  logger?: StorageLogger;
}

/** A logger that writes warnings and errors to stderr as JSON lines. */
export const stderrLogger: StorageLogger = {
  info: () => {},
  warn: (msg, fields) =>
    process.stderr.write(JSON.stringify({ level: "warn", component: "storage", msg, ...fields }) + "\n"),
  error: (msg, fields) =>
    process.stderr.write(JSON.stringify({ level: "error", component: "storage", msg, ...fields }) + "\n"),
};
