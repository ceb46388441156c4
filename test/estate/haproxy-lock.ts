// The estate's HAProxy (backend shop_web) is one for the whole machine, and test files may run in
// parallel (TEST_CONCURRENCY): a suite that moves its weights or points its servers elsewhere, or one
// that expects the stable web through its frontend, holds this lock for its duration. The lock is a
// directory created atomically under the system's temporary directory, holding the owner's pid; a
// lock whose owner is gone (a killed test run) is taken over.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LOCK = join(tmpdir(), "stella-estate-haproxy.lock");
const POLL_MS = 200;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits (up to `ms`) until this process holds the estate HAProxy; resolves with the release. */
export async function holdEstateHaproxy(ms = 600_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(join(LOCK, "pid"), String(process.pid));
      return () => rm(LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = Number(await readFile(join(LOCK, "pid"), "utf8").catch(() => ""));
    if (owner > 0 && !alive(owner)) await rm(LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`the estate HAProxy is still held by pid ${owner} (${LOCK})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
