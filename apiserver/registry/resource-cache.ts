// An in-memory view of one resource, kept from the storage's event stream (list, then watch;
// a watch that ends is replaced by a fresh list + watch). Each object is projected to the
// little the caller needs, so the cache stays small.
import type { Storage, StoredObject, Watch } from "../storage/types.ts";

/** The cache key of an object: `namespace/name` ("" namespace for cluster-scoped). */
export const cacheKey = (namespace: string, name: string) => `${namespace}/${name}`;

const keyOf = (o: StoredObject) => cacheKey(String(o.metadata.namespace ?? ""), String(o.metadata.name));

/** Projected values of one resource's objects, by `namespace/name`. */
export class ResourceCache<V> {
  private byKey = new Map<string, V>();
  private watch: Watch | undefined;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly resource: string,
    /** What to keep of an object; undefined drops it. */
    private readonly project: (obj: StoredObject) => V | undefined,
  ) {}

  /** Loads every object and follows changes. */
  async start(): Promise<void> {
    const fresh = new Map<string, V>();
    let cont: string | undefined;
    let rv = 0;
    do {
      const page = await this.storage.list({ resource: this.resource, limit: 1000, continue: cont });
      for (const o of page.items) this.put(fresh, o);
      cont = page.continue;
      rv = page.rv;
    } while (cont);
    this.byKey = fresh;
    this.watch = await this.storage.watch(
      { resource: this.resource, sinceRV: rv },
      {
        onEvent: (e) => {
          if (e.type === "DELETED") this.byKey.delete(keyOf(e.object));
          else this.put(this.byKey, e.object);
        },
        onError: () => void this.restart(),
      },
    );
  }

  /** Stops following changes. */
  stop(): void {
    this.stopped = true;
    this.watch?.close();
  }

  get(namespace: string, name: string): V | undefined {
    return this.byKey.get(cacheKey(namespace, name));
  }

  values(): IterableIterator<V> {
    return this.byKey.values();
  }

  private put(map: Map<string, V>, o: StoredObject): void {
    const v = this.project(o);
    if (v === undefined) map.delete(keyOf(o));
    else map.set(keyOf(o), v);
  }

  private async restart(): Promise<void> {
    for (let delay = 100; !this.stopped; delay = Math.min(delay * 2, 5000)) {
      try {
        return await this.start();
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
