// SqlExecutor over embedded PGlite: one in-process PostgreSQL with its data directory on disk.
//
// Durability: PGlite's NodeFS writes the WAL straight to the host files with write(2) before a
// commit returns (relaxedDurability only affects the browser filesystems; we pin it off anyway),
// so an acknowledged write survives a kill -9 of this process. PGlite runs with fsync off and
// Emscripten's NODEFS has no fsync, so a power loss or kernel crash may lose recent commits.
// PGlite is single-process: a lock beside the directory keeps a second process out (data-dir-lock.ts).
//
// Memory: PGlite's defaults (shared_buffers 128 MB inside the WebAssembly heap) and initdb (whose
// heap stays referenced by the instance that ran it, ~450 MB) made an idle apiserver ~850 MB.
// The buffer pool is sized by option, and a freshly initialized directory is reopened.
import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { beginOptions, type SqlExecutor, type SqlQueryable, type SqlRow, type TxOptions } from "./sql-executor.ts";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import { translating } from "./sql-errors.ts";

/** PGlite tuning. */
export interface PgliteOptions {
  /** PostgreSQL shared_buffers, in MiB (default 32; PGlite's own default is 128). */
  sharedBuffersMiB?: number;
}

/** Opens (creating if needed) a PGlite database in `dataDir`, owned exclusively by this process. */
export async function openPgliteExecutor(dataDir: string, options: PgliteOptions = {}): Promise<SqlExecutor> {
  const dir = resolve(dataDir);
  await mkdir(dirname(dir), { recursive: true });
  const unlock = await acquireDataDirLock(`${dir}.lock`, dir);
  try {
    const fresh = await access(`${dir}/PG_VERSION`).then(
      () => false,
      () => true,
    );
    const pg = await translating("open PGlite", async () => {
      const start = async () => {
        const db = new PGlite({ dataDir: dir, relaxedDurability: false, startParams: startParams(options) });
        await db.waitReady;
        return db;
      };
      if (fresh) await (await start()).close();
      return start();
    });
    return new PgliteExecutor(pg, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

function startParams(options: PgliteOptions): string[] {
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${options.sharedBuffersMiB ?? 32}MB`];
}

class PgliteExecutor implements SqlExecutor {
  readonly backend = "pglite" as const;
  constructor(
    private readonly pg: PGlite,
    private readonly unlock: () => Promise<void>,
  ) {}

  query<R extends SqlRow = SqlRow>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return translating("query", async () => (await this.pg.query<R>(text, [...params])).rows);
  }

  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>, options?: TxOptions): Promise<T> {
    return translating("transaction", () =>
      this.pg.transaction(async (tx) => {
        await tx.query(`SET TRANSACTION ${beginOptions(options)}`);
        return fn({
          query: <R extends SqlRow>(text: string, params: readonly unknown[] = []) =>
            translating("query", async () => (await tx.query<R>(text, [...params])).rows),
        });
      }),
    );
  }

  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onConnect?: () => void,
  ): Promise<() => Promise<void>> {
    const unlisten = await translating("listen", () => this.pg.listen(channel, onNotify));
    onConnect?.();
    return () => translating("unlisten", () => unlisten());
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await translating("close PGlite", () => this.pg.close());
    } finally {
      await this.unlock();
    }
  }
}
