// PGlite is single-process: one lock file beside its directory keeps a second process out.
//
// A bare PID is not enough to tell a live holder from a dead one. After a kill -9 the PID is
// free again, and in a container the server is PID 1 on every start, so the starting process
// would find "its own" PID alive and refuse forever. The lock therefore names the holder by
// PID, the process's start time (field 22 of /proc/PID/stat, in clock ticks since boot) and
// the boot id: a PID whose process started at another time, or a lock from another boot, is
// stale and taken over. Where /proc is missing (macOS), the PID alone decides, as before.
// A holder in another PID namespace (another container sharing the volume) is not visible
// from here: give each container its own data directory.
import { randomUUID } from "node:crypto";
import { link, readFile, rename, rm, writeFile } from "node:fs/promises";
import { StorageError } from "./types.ts";

/** Who holds a lock. */
export interface LockHolder {
  pid: number;
  /** Start time of the process in clock ticks since boot; absent where /proc is not. */
  startTime?: string;
  bootId?: string;
}

// Paths locked by this process: a second open in the same process is refused too.
const heldHere = new Set<string>();

/** This process as a lock holder. */
export async function selfHolder(): Promise<LockHolder> {
  const [startTime, bootId] = await Promise.all([processStartTime(process.pid), readBootId()]);
  return { pid: process.pid, ...(startTime ? { startTime } : {}), ...(bootId ? { bootId } : {}) };
}

/** Takes the lock at `lockPath` for `dir`, or throws StorageError Unavailable naming the live holder. */
export async function acquireDataDirLock(lockPath: string, dir: string): Promise<() => Promise<void>> {
  if (heldHere.has(lockPath))
    throw new StorageError("Unavailable", `data directory ${dir} is already open in this process`);
  const me = await selfHolder();
  // Written whole to a private file, then linked into place: the lock never exists half-written.
  const mine = `${lockPath}.${randomUUID()}`;
  await writeFile(mine, JSON.stringify(me)).catch((err) => {
    throw new StorageError("Unavailable", `can not lock data directory ${dir}: ${(err as Error).message}`);
  });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, lockPath);
        heldHere.add(lockPath);
        return async () => {
          heldHere.delete(lockPath);
          await rm(lockPath, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST")
          throw new StorageError("Unavailable", `can not lock data directory ${dir}: ${(err as Error).message}`);
      }
      const text = await readFile(lockPath, "utf8").catch(() => "");
      const holder = parseHolder(text);
      if (holder && (await isAlive(holder))) {
        throw new StorageError(
          "Unavailable",
          `data directory ${dir} is in use by process ${holder.pid} (lock ${lockPath}); stop that process first`,
        );
      }
      await takeOver(lockPath, text);
    }
    throw new StorageError("Unavailable", `can not lock data directory ${dir}: another process keeps taking the lock`);
  } finally {
    await rm(mine, { force: true });
  }
}

// Moves a stale lock aside, but only the one that was judged stale: if another process has put
// its own live lock there meanwhile, that one is moved back (link fails if a third appeared).
async function takeOver(lockPath: string, judged: string): Promise<void> {
  const aside = `${lockPath}.stale.${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // gone already: try again
  }
  const moved = await readFile(aside, "utf8").catch(() => judged);
  if (moved !== judged) await link(aside, lockPath).catch(() => {});
  await rm(aside, { force: true });
}

/** The holder a lock file names: JSON from this version, a bare PID from older ones. */
export function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const v = JSON.parse(trimmed) as Partial<LockHolder>;
    if (!Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined;
    return {
      pid: v.pid as number,
      startTime: typeof v.startTime === "string" ? v.startTime : undefined,
      bootId: typeof v.bootId === "string" ? v.bootId : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Whether the process a lock names still runs. */
export async function isAlive(holder: LockHolder): Promise<boolean> {
  const bootId = await readBootId();
  if (holder.bootId && bootId && holder.bootId !== bootId) return false;
  const startTime = await processStartTime(holder.pid);
  if (holder.startTime && startTime !== undefined) return holder.startTime === startTime;
  // No start time to compare (an old lock, or no /proc): a lock naming this very process can
  // only be left over from an earlier process that had the same PID (heldHere covers our own).
  if (holder.pid === process.pid) return false;
  if (startTime !== undefined) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces and parentheses). */
export async function processStartTime(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19];
}

async function readBootId(): Promise<string | undefined> {
  const id = await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => undefined);
  return id?.trim() || undefined;
}
