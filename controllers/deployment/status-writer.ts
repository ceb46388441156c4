// Status writes that the next reconcile can build on. The informer cache lags a write by one
// watch event; reading a deployment through latest() returns whichever is newer, the cached
// object or the one this process last wrote, so a quick second pass does not start from a stale
// status (and conflict). Entries go once the cache has caught up.
import type { Deployment } from "../../crds/deployment.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";

/** Writes deployment status and remembers the result until the cache has it. */
export class StatusWriter {
  private readonly written = new Map<string, Deployment>();

  constructor(
    private readonly client: Pick<ResourceClient<Deployment>, "updateStatus">,
    private readonly cached: (namespace: string, name: string) => Deployment | undefined,
  ) {}

  /** Writes d's status through the status subresource. */
  async write(d: Deployment): Promise<void> {
    const saved = await this.client.updateStatus(d);
    this.written.set(`${saved.metadata.namespace}/${saved.metadata.name}`, saved);
  }

  /** The newest known copy of a deployment. */
  latest(namespace: string, name: string): Deployment | undefined {
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
