// SqlExecutor over embedded PGlite: one in-process PostgreSQL with its data directory on disk.
//
// Durability: PGlite's NodeFS writes the WAL straight to the host files with write(2) before a
// commit returns (relaxedDurability only affects the browser filesystems; we pin it off anyway),
// so an acknowledged write survives a kill -9 of this process. PGlite runs with fsync off and
// Emscripten's NODEFS has no fsync, so a power loss or kernel crash may lose recent commits.
// PGlite is single-process: a lock file beside the directory keeps a second process out.
//
// Memory: PGlite's defaults (shared_buffers 128 MB inside the WebAssembly heap) and initdb (whose
// heap stays referenced by the instance that ran it, ~450 MB) made an idle apiserver ~850 MB.
// The buffer pool is sized by option, and a freshly initialized directory is reopened.
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { beginOptions, type SqlExecutor, type SqlQueryable, type SqlRow, type TxOptions } from "./sql-executor.ts";
import { translating } from "./sql-errors.ts";
import { StorageError } from "./types.ts";

/** PGlite tuning. */
export interface PgliteOptions {
  /** PostgreSQL shared_buffers, in MiB (default 32; PGlite's own default is 128). */
  sharedBuffersMiB?: number;
}

/** Opens (creating if needed) a PGlite database in `dataDir`, owned exclusively by this process. */
export async function openPgliteExecutor(dataDir: string, options: PgliteOptions = {}): Promise<SqlExecutor> {
  const dir = resolve(dataDir);
  await mkdir(dirname(dir), { recursive: true });
  const lockPath = `${dir}.lock`;
  await acquireLock(lockPath, dir);
  try {
    const fresh = await access(`${dir}/PG_VERSION`).then(() => false, () => true);
    const pg = await translating("open PGlite", async () => {
      const start = async () => {
        const db = new PGlite({ dataDir: dir, relaxedDurability: false, startParams: startParams(options) });
        await db.waitReady;
        return db;
      };
      if (fresh) await (await start()).close();
      return start();
    });
    return new PgliteExecutor(pg, lockPath);
  } catch (err) {
    await rm(lockPath, { force: true });
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
    private readonly lockPath: string,
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

  async listen(channel: string, onNotify: (payload: string) => void, onConnect?: () => void): Promise<() => Promise<void>> {
    const unlisten = await translating("listen", () => this.pg.listen(channel, onNotify));
    onConnect?.();
    return () => translating("unlisten", () => unlisten());
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await translating("close PGlite", () => this.pg.close());
    } finally {
      await rm(this.lockPath, { force: true });
    }
  }
}

// A pid file, taken with O_EXCL; a file left by a dead process (kill -9) is taken over.
async function acquireLock(lockPath: string, dir: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: "wx" });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StorageError("Unavailable", `can not lock data directory ${dir}: ${(err as Error).message}`);
      }
    }
    const pid = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new StorageError("Unavailable", `data directory ${dir} is in use by process ${pid}`);
    }
    await rm(lockPath, { force: true });
  }
  throw new StorageError("Unavailable", `can not lock data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
