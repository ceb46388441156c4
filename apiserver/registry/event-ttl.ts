// Bounded retention of Events, as kube-apiserver's --event-ttl: an event lives for the TTL after it
// was last seen (a repeat that bumps its count renews it). A periodic sweep deletes expired events
// in small batches, each delete its own short write, yielding between batches, so writers never
// wait behind it. Several apiservers on one database may sweep at once: a lost race is skipped.
import { setImmediate as yieldToOthers } from "node:timers/promises";
import { lastSeen, eventKind, type Event } from "../../crds/event.ts";
import { isStorageError, type Storage, type StoredObject } from "../storage/types.ts";
import { storageKey } from "./keys.ts";

/** kube-apiserver's default: one hour. */
export const DEFAULT_EVENT_TTL_MS = 3_600_000;

/** How the sweeper runs. */
export interface EventSweeperOptions {
  ttlMs?: number;
  /** Between sweeps; a quarter of the TTL, between 1 s and 1 min, when absent. */
  intervalMs?: number;
  /** Events deleted before yielding; default 100. */
  batch?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** Whether an event has outlived `ttlMs` at `now`. */
export function expired(e: Event, ttlMs: number, now: number): boolean {
  const seen = Date.parse(lastSeen(e) ?? "");
  return Number.isFinite(seen) && seen + ttlMs <= now;
}

/** Deletes expired events periodically. */
export class EventSweeper {
  readonly ttlMs: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly opts: EventSweeperOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_EVENT_TTL_MS;
    this.intervalMs = opts.intervalMs ?? Math.min(60_000, Math.max(1000, Math.floor(this.ttlMs / 4)));
  }

  /** Sweeps every interval until stop(). */
  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      const failed = (err: unknown) => (this.opts.onError?.(err), 0);
      this.running = this.sweep()
        .catch(failed)
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping and waits for a sweep in progress (it ends after its current batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every namespace; resolves with how many events it deleted. */
  async sweep(): Promise<number> {
    const now = (this.opts.now ?? Date.now)();
    const batch = this.opts.batch ?? 100;
    let deleted = 0;
    let cont: string | undefined;
    do {
      const filter = (o: StoredObject) => expired(o as unknown as Event, this.ttlMs, now);
      const page = await this.storage.list({ resource: eventKind.plural, filter, limit: batch, continue: cont });
      for (const o of page.items) if (await this.remove(o)) deleted++;
      cont = page.continue;
      await yieldToOthers();
    } while (cont && !this.stopped);
    return deleted;
  }

  private async remove(o: StoredObject): Promise<boolean> {
    const meta = o.metadata as { namespace?: string; name?: string; resourceVersion?: string };
    try {
      // At the listed version: an event seen again meanwhile (count bumped) is not deleted.
      await this.storage.delete(storageKey(eventKind, meta.namespace, meta.name ?? ""), Number(meta.resourceVersion));
      return true;
    } catch (err) {
      if (isStorageError(err, "Conflict") || isStorageError(err, "NotFound")) return false;
      throw err;
    }
  }
}
