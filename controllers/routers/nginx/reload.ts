// Applying a generated configuration: write the file, send the nginx master SIGHUP (a graceful
// reload: new workers take new connections, old ones finish theirs), and wait until the live state
// shows the new generation. nginx keeps the old configuration when the new one does not load, so a
// generation that never appears is a refusal, reported with where to look. Workers of the previous
// configuration may accept connections until they handle the master's order to stop, so the
// reload is done only when every worker from before it has begun shutting down (workers.ts) and
// the new generation answers CONFIRMATIONS fresh connections in a row.
import { readFile, rename, writeFile } from "node:fs/promises";
import { RouterError } from "../../../sdk/plugins/router.ts";
import { readLiveState } from "./live-state.ts";
import type { NginxRouteState } from "./render.ts";
import { acceptingWorkers, isAcceptingWorker } from "./workers.ts";

/** How long a reload may take to show before the router gives up. */
const RELOAD_WAIT_MS = 10_000;
const POLL_MS = 50;
const CONFIRMATIONS = 5;

/** The pid of the nginx master; RouterUnreachable when it is not running. */
export async function masterPid(pidFile: string): Promise<number> {
  const text = await readFile(pidFile, "utf8").catch((err: Error) => {
    throw new RouterError("RouterUnreachable", `nginx pid file ${pidFile}: ${err.message}`, { cause: err });
  });
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0)
    throw new RouterError("RouterUnreachable", `nginx pid file ${pidFile} holds no pid`);
  return pid;
}

/** Writes `text` to `configFile` atomically, reloads nginx and waits for `state` to be live. */
export async function applyConfig(
  settings: { configFile: string; pidFile: string; listen: string },
  text: string,
  state: NginxRouteState,
  signal?: AbortSignal,
): Promise<NginxRouteState> {
  const pid = await masterPid(settings.pidFile);
  let previous = await acceptingWorkers(pid);
  const temp = `${settings.configFile}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, settings.configFile);
  try {
    process.kill(pid, "SIGHUP");
  } catch (err) {
    throw new RouterError("RouterUnreachable", `nginx master ${pid}: ${(err as Error).message}`, { cause: err });
  }
  const deadline = Date.now() + RELOAD_WAIT_MS;
  let last: unknown;
  let confirmed = 0;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const live = await readLiveState(settings.listen, signal);
      confirmed = live.generation === state.generation ? confirmed + 1 : 0;
      if (confirmed === CONFIRMATIONS) {
        const still = await Promise.all(previous.map((w) => isAcceptingWorker(w, pid)));
        previous = previous.filter((_, i) => still[i]);
        if (previous.length === 0) return live;
        confirmed = 0;
      }
      if (confirmed > 0) continue;
    } catch (err) {
      last = err;
      confirmed = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (last instanceof RouterError && last.reason === "RouterUnreachable") throw last;
  throw new RouterError(
    "RouterRefused",
    `nginx did not load generation ${state.generation} of ${settings.configFile} (see its error log)`,
  );
}
