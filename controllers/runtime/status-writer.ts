// Status writes that the next reconcile can build on. The informer cache lags a write by one
// watch event; reading an object through latest() returns whichever is newer, the cached object
// or the one this process last wrote, so a quick second pass does not start from a stale status
// (and conflict). Entries go once the cache has caught up. Used by the deployment and canary
// controllers.
import type { StellaObject } from "../../crds/meta.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";

/** Writes status and remembers the result until the cache has it. */
export class StatusWriter<T extends StellaObject> {
  private readonly written = new Map<string, T>();

  constructor(
    private readonly client: Pick<ResourceClient<T>, "updateStatus">,
    private readonly cached: (namespace: string, name: string) => T | undefined,
  ) {}

  /** Writes d's status through the status subresource. */
  async write(d: T): Promise<void> {
    const saved = await this.client.updateStatus(d);
    this.written.set(`${saved.metadata.namespace}/${saved.metadata.name}`, saved);
  }

  /** The newest known copy of an object. */
  latest(namespace: string, name: string): T | undefined {
    const key = `${namespace}/${name}`;
    const cached = this.cached(namespace, name);
    const mine = this.written.get(key);
    if (!mine) return cached;
    if (!cached || cached.metadata.uid !== mine.metadata.uid) {
      if (!cached) this.written.delete(key);
      return cached;
    }
    if (BigInt(cached.metadata.resourceVersion ?? "0") >= BigInt(mine.metadata.resourceVersion ?? "0")) {
      this.written.delete(key);
      return cached;
    }
    return mine;
  }
}
