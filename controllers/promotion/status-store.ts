// Promotion status writes that never lose what others wrote. The apiserver appends approvals to
// status.approvals (the approval subresource) while this controller writes the rest of status, so
// every write is a PUT carrying the resourceVersion the status was computed from: a concurrent
// append makes it a 409 Conflict, and the caller recomputes from a fresh read instead of writing
// its stale copy of approvals back. Reads return whichever is newer, the informer's copy or the
// one this process last wrote, so a quick second pass does not start from a stale status.
import { isNotFound } from "../../crds/errors.ts";
import type { Promotion, PromotionStatus } from "../../crds/promotion.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";

/** Reads and conditionally writes promotion status. */
export class PromotionStore {
  private readonly written = new Map<string, Promotion>();

  constructor(
    private readonly client: Pick<ResourceClient<Promotion>, "get" | "updateStatus">,
    private readonly cached: (namespace: string, name: string) => Promotion | undefined,
    /** Told of every status written, with the promotion it was computed from (events). */
    private readonly onWrite?: (before: Promotion, after: Promotion) => void,
  ) {}

  /** The newest known copy of a promotion. */
  latest(namespace: string, name: string): Promotion | undefined {
    const key = `${namespace}/${name}`;
    const cached = this.cached(namespace, name);
    const mine = this.written.get(key);
    if (!mine) return cached;
    if (!cached || cached.metadata.uid !== mine.metadata.uid || rv(cached) >= rv(mine)) {
      this.written.delete(key);
      return cached;
    }
    return mine;
  }

  /** The promotion as the apiserver has it now; undefined when it is gone. */
  async fresh(namespace: string, name: string): Promise<Promotion | undefined> {
    try {
      const p = await this.client.get(name, { namespace });
      this.remember(p);
      return p;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Writes `status` onto `base` at base's resourceVersion; ApiError Conflict when someone wrote since. */
  async write(base: Promotion, status: PromotionStatus): Promise<Promotion> {
    const saved = await this.client.updateStatus({ ...base, status });
    this.remember(saved);
    this.onWrite?.(base, saved);
    return saved;
  }

  private remember(p: Promotion): void {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    const known = this.written.get(key);
    if (!known || known.metadata.uid !== p.metadata.uid || rv(p) > rv(known)) this.written.set(key, p);
  }
}

const rv = (p: Promotion): bigint => BigInt(p.metadata.resourceVersion ?? "0");
