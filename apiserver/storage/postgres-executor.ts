// SqlExecutor over PostgreSQL through the `postgres` (porsager) driver: a connection pool, plus
// one dedicated connection for LISTEN that the driver re-establishes after a failure.
import postgres from "postgres";
import { beginOptions, type SqlExecutor, type SqlQueryable, type SqlRow, type TxOptions } from "./sql-executor.ts";
import { checkDeadline, currentDeadline } from "./deadline.ts";
import { translating } from "./sql-errors.ts";
import { StorageError } from "./types.ts";

/** How to reach PostgreSQL. */
export interface PostgresConfig {
  url: string;
  /** Pool size (default 10). */
  poolSize?: number;
}

/** Connects to PostgreSQL and checks that the connection works. */
export async function openPostgresExecutor(config: PostgresConfig): Promise<SqlExecutor> {
  const sql = postgres(config.url, {
    max: config.poolSize ?? 10,
    prepare: true,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: "stella-apiserver" },
    // int8 (resource versions, counts) as numbers: they stay far below 2^53.
    types: { int8: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: (x: string) => Number(x) } },
  });
  const executor = new PostgresExecutor(sql);
  try {
    await executor.query("SELECT 1");
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw err;
  }
  return executor;
}

type Sql = postgres.Sql<{ int8: number }>;

class PostgresExecutor implements SqlExecutor {
  readonly backend = "postgres" as const;
  constructor(private readonly sql: Sql) {}

  query<R extends SqlRow = SqlRow>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return translating("query", () => run<R>(this.sql, text, params));
  }

  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>, options?: TxOptions): Promise<T> {
    return translating("transaction", async () => {
      const result = await this.sql.begin(beginOptions(options), (tx) =>
        fn({
          query: <R extends SqlRow>(text: string, params: readonly unknown[] = []) =>
            translating("query", () => run<R>(tx, text, params)),
        }),
      );
      return result as T;
    });
  }

  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onConnect?: () => void,
  ): Promise<() => Promise<void>> {
    const { unlisten } = await translating("listen", () => this.sql.listen(channel, onNotify, onConnect));
    return () => translating("unlisten", () => unlisten());
  }

  close(): Promise<void> {
    return translating("close", () => this.sql.end({ timeout: 5 }));
  }
}

// A statement issued for a request whose deadline passes is cancelled: dropped from the queue
// if it is still waiting for a connection (the usual case while PostgreSQL restarts), or
// cancelled on the server if it runs. One that already committed stays committed.
async function run<R>(
  sql: Sql | postgres.TransactionSql<{ int8: number }>,
  text: string,
  params: readonly unknown[],
): Promise<R[]> {
  const deadline = currentDeadline();
  checkDeadline("query");
  const pending = sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
  const cancel = () => void pending.cancel();
  deadline?.addEventListener("abort", cancel, { once: true });
  try {
    return (await pending) as unknown as R[];
  } catch (err) {
    if (deadline?.aborted) throw new StorageError("Timeout", "query: cancelled at the request's deadline");
    throw err;
  } finally {
    deadline?.removeEventListener("abort", cancel);
  }
}
