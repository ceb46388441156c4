// nginx's worker processes, read from /proc (nginx runs beside the controller: the router signals
// its master by pid). After a reload the master starts new workers and tells the old ones to quit;
// an old worker keeps accepting connections until it handles that, and it retitles itself
// "worker process is shutting down" just before it closes its listening sockets. So a reload is
// only complete for new connections once every worker from before it is gone or so titled.
import { readdir, readFile } from "node:fs/promises";

const SHUTTING_DOWN = "is shutting down";

/** The pids of the worker processes of nginx master `master` that still accept connections. */
export async function acceptingWorkers(master: number): Promise<number[]> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((e) => /^\d+$/.test(e)).map(Number);
  const found = await Promise.all(pids.map(async (pid) => ((await isAcceptingWorker(pid, master)) ? pid : 0)));
  return found.filter((pid) => pid !== 0);
}

/** Whether `pid` is a worker of `master` that has not begun shutting down. */
export async function isAcceptingWorker(pid: number, master: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces) in parentheses: state, then the parent pid.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (parent !== master) return false;
    const title = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
    return title.includes("worker process") && !title.includes(SHUTTING_DOWN);
  } catch {
    return false; // gone meanwhile
  }
}
