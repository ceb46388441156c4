// One informer per kind, namespace and selector, shared by every controller of a process, so a
// kind is listed and watched once however many controllers read it.
import type { StellaObject } from "../crds/meta.ts";
import type { KindInfo } from "../crds/scheme-types.ts";
import type { Client } from "./client.ts";
import { Informer, type InformerOptions } from "./informer.ts";

/** Which slice of a kind an informer covers. */
export interface InformerScope {
  /** One namespace; absent means all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Hands out shared informers and starts and stops them together. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<StellaObject>>();
  private started = false;

  constructor(
    private readonly client: Client,
    private readonly defaults: Pick<InformerOptions<StellaObject>, "backoff" | "onError"> = {},
  ) {}

  /** The informer for `info` in `scope`, created on first use (and started if the factory is). */
  informerFor<T extends StellaObject = StellaObject>(info: KindInfo, scope: InformerScope = {}): Informer<T> {
    const id = [
      info.group ?? "",
      info.version ?? "",
      info.plural,
      scope.namespace ?? "",
      scope.labelSelector ?? "",
      scope.fieldSelector ?? "",
    ].join("|");
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new Informer(this.client.resource(info), { ...this.defaults, ...scope });
      this.informers.set(id, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /** Starts every informer, and those created from now on. */
  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** Resolves true once every informer created so far has synced; false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Stops every informer. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
