// The storage package: open a Storage on embedded PGlite or on PostgreSQL.
import type { StorageConfig, StorageOptions } from "./options.ts";
import { openPgliteExecutor } from "./pglite-executor.ts";
import { openPostgresExecutor } from "./postgres-executor.ts";
import { SqlStorage } from "./sql-storage.ts";
import type { Storage } from "./types.ts";

export type { StorageConfig, StorageLogger, StorageOptions } from "./options.ts";
export type {
  AuditPage,
  AuditPageQuery,
  AuditQuery,
  AuditRecord,
  CacheStats,
  EventType,
  ListOptions,
  ListResult,
  ObjectKey,
  Storage,
  StorageErrorCode,
  StorageEvent,
  StoredObject,
  Ticket,
  Watch,
  WatchHandlers,
  WatchOptions,
} from "./types.ts";
export { isStorageError, StorageError } from "./types.ts";

/**
 * Opens a storage: creates or migrates the schema, settles the event reader, starts compaction.
 * PGlite: `dataDir` is the database directory, created if missing and owned by this process.
 * PostgreSQL: several processes may share one database. Fails only with StorageError.
 */
export async function openStorage(config: StorageConfig, options: StorageOptions = {}): Promise<Storage> {
  const exec =
    config.backend === "pglite" ? await openPgliteExecutor(config.dataDir, config) : await openPostgresExecutor(config);
  return SqlStorage.open(exec, options);
}
