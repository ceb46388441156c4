// A shared informer: lists and watches one kind into an indexed Cache and tells its handlers what
// changed. Dropped connections resume from the last resourceVersion; 410 Gone relists and turns
// the difference into add/update/delete calls; other failures retry with exponential backoff.
import type { StellaObject } from "../crds/meta.ts";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import { Cache, objectKey, type IndexFunc } from "./cache.ts";
import type { ResourceClient, SelectOptions } from "./resource-client.ts";
import type { WatchEvent } from "./watch.ts";

/** Callbacks for changes. They run synchronously in event order: keep them short (enqueue a key). */
export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  /** Called with the object's last known state. */
  onDelete?(obj: T): void;
}

/** What an informer watches and how it retries. */
export interface InformerOptions<T> extends Omit<SelectOptions, "signal"> {
  /** Custom indexes on top of namespace, label and owner. */
  indexers?: Record<string, IndexFunc<T>>;
  backoff?: BackoffOptions;
  /** Told about each failure that is retried and each handler that throws. */
  onError?: (err: unknown) => void;
}

/** Lists and watches one kind (optionally one namespace and selector) into `cache`. */
export class Informer<T extends StellaObject = StellaObject> {
  /** The objects as last seen. Read-only for everyone but the informer. */
  readonly cache: Cache<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private abort?: AbortController;
  private running?: Promise<void>;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private rv?: string;

  constructor(
    readonly resource: ResourceClient<T>,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.cache = new Cache<T>(opts.indexers);
  }

  /** Adds a handler; if objects are already cached, it first gets onAdd for each. Returns a remover. */
  addHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    for (const obj of this.cache.list()) this.call(() => handler.onAdd?.(obj));
    return () => void this.handlers.delete(handler);
  }

  /** Starts listing and watching (no-op when running). */
  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
  }

  /** Stops watching and waits for the loop to end. The cache keeps its content. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.running = undefined;
    for (const w of this.syncWaiters.splice(0)) w();
  }

  /** Whether the first full list has reached the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if the informer stops (or `signal` aborts) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => resolve(this.synced);
      this.syncWaiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** The resourceVersion the cache is at (undefined before the first list). */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.opts.backoff);
    const { namespace, labelSelector, fieldSelector } = this.opts;
    while (!signal.aborted) {
      try {
        const events = this.resource.watch({
          namespace,
          labelSelector,
          fieldSelector,
          resourceVersion: this.rv,
          signal,
          backoff: this.opts.backoff,
          onRetry: this.opts.onError,
        });
        for await (const event of events) {
          this.apply(event);
          backoff.reset();
        }
      } catch (err) {
        if (signal.aborted) break;
        this.opts.onError?.(err);
        await backoff.wait(signal);
      }
    }
  }

  private apply(event: WatchEvent<T>): void {
    switch (event.type) {
      case "BOOKMARK":
        this.rv = event.resourceVersion;
        return;
      case "RELIST": {
        const delta = this.cache.replace(event.items);
        this.rv = event.resourceVersion;
        for (const obj of delta.added) this.each((h) => h.onAdd?.(obj));
        for (const { old, obj } of delta.updated) {
          if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.each((h) => h.onUpdate?.(old, obj));
        }
        for (const obj of delta.deleted) this.each((h) => h.onDelete?.(obj));
        if (!this.synced) {
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
        }
        return;
      }
      case "DELETED": {
        this.rv = event.object.metadata.resourceVersion ?? this.rv;
        const old = this.cache.remove(objectKey(event.object));
        if (old) this.each((h) => h.onDelete?.(event.object));
        return;
      }
      default: {
        this.rv = event.object.metadata.resourceVersion ?? this.rv;
        const old = this.cache.upsert(event.object);
        this.each((h) => (old ? h.onUpdate?.(old, event.object) : h.onAdd?.(event.object)));
      }
    }
  }

  private each(fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
