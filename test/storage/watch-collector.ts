// Collects a storage watch's events for assertions, with waits that poll the collected state.
import type { Storage, StorageError, StorageEvent, Watch, WatchOptions } from "../../apiserver/storage/index.ts";

/** An open watch and what it has received so far. */
export interface Collector {
  events: StorageEvent[];
  progress: number[];
  errors: StorageError[];
  watch: Watch;
  /** Resolves once `pred` holds (checked as events arrive); fails after `timeoutMs`. */
  until(pred: (c: Collector) => boolean, timeoutMs?: number): Promise<void>;
}

/** Opens a watch on `storage` that records everything it receives. */
export async function collect(storage: Storage, opts: WatchOptions): Promise<Collector> {
  const c = { events: [], progress: [], errors: [] } as unknown as Collector;
  c.watch = await storage.watch(opts, {
    onEvent: (e) => void c.events.push(e),
    onProgress: (rv) => void c.progress.push(rv),
    onError: (err) => void c.errors.push(err),
  });
  c.until = (pred, timeoutMs) =>
    waitFor(
      () => pred(c),
      timeoutMs,
      () => `watch has ${c.events.length} events, ${c.errors.length} errors`,
    );
  return c;
}

/** Polls `cond` until it holds; fails with `describe()` after `timeoutMs` (a hang guard, not a threshold). */
export async function waitFor(
  cond: () => boolean,
  timeoutMs = 30_000,
  describe: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms ${describe()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
