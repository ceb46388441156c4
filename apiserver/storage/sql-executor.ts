// The one seam between Stella's SQL storage and a database driver. Both backends (PGlite and
// PostgreSQL) implement it; everything above speaks SQL through it and sees only StorageError.

/** One row of a result, column name to value (int8 as number, json/jsonb parsed). */
export type SqlRow = Record<string, unknown>;

/** Runs one statement with positional parameters ($1, $2, ...). */
export interface SqlQueryable {
  query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** How a transaction runs. Default: read committed, read-write. */
export interface TxOptions {
  isolation?: "read committed" | "repeatable read";
  readOnly?: boolean;
}

/**
 * A database handle. Every method throws only StorageError (driver errors are translated by the
 * adapter). `transaction` commits when `fn` resolves and rolls back when it throws.
 */
export interface SqlExecutor extends SqlQueryable {
  readonly backend: "pglite" | "postgres";
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>, options?: TxOptions): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel`, and `onConnect` each time the listening
   * connection is (re)established (notifications may have been missed before it). Resolves to
   * an unlisten function once listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onConnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The BEGIN options of a transaction, in SQL. */
export function beginOptions(options: TxOptions = {}): string {
  const parts = [`isolation level ${options.isolation ?? "read committed"}`];
  if (options.readOnly) parts.push("read only");
  return parts.join(" ");
}
