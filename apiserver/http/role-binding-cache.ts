// RoleBindings, kept in memory from the storage's event stream so that authorizing a request
// costs no database round trip. A binding takes effect as soon as its event arrives.
import type { RoleBindingLike } from "../auth/authorize.ts";
import { isRole } from "../auth/roles.ts";
import type { Storage, StoredObject, Watch } from "../storage/types.ts";

const RESOURCE = "rolebindings";

function toBinding(obj: StoredObject): RoleBindingLike | undefined {
  const spec = obj.spec as { role?: unknown; subjects?: { kind: "User" | "Group"; name: string }[] } | undefined;
  if (!spec || !isRole(spec.role)) return undefined;
  return { namespace: String(obj.metadata.namespace ?? ""), role: spec.role, subjects: spec.subjects ?? [] };
}

const keyOf = (o: StoredObject) => `${String(o.metadata.namespace)}/${String(o.metadata.name)}`;

/** The current RoleBindings, by namespace. */
export class RoleBindingCache {
  private byKey = new Map<string, RoleBindingLike>();
  private watch: Watch | undefined;
  private stopped = false;

  constructor(private readonly storage: Storage) {}

  /** Loads every binding and follows changes; a watch that ends is replaced by a fresh list + watch. */
  async start(): Promise<void> {
    const fresh = new Map<string, RoleBindingLike>();
    let cont: string | undefined;
    let rv = 0;
    do {
      const page = await this.storage.list({ resource: RESOURCE, limit: 1000, continue: cont });
      for (const o of page.items) put(fresh, o);
      cont = page.continue;
      rv = page.rv;
    } while (cont);
    this.byKey = fresh;
    this.watch = await this.storage.watch(
      { resource: RESOURCE, sinceRV: rv },
      {
        onEvent: (e) => {
          if (e.type === "DELETED") this.byKey.delete(keyOf(e.object));
          else put(this.byKey, e.object);
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

  /** Bindings in one namespace. */
  inNamespace(namespace: string): RoleBindingLike[] {
    return [...this.byKey.values()].filter((b) => b.namespace === namespace);
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

function put(map: Map<string, RoleBindingLike>, o: StoredObject): void {
  const b = toBinding(o);
  if (b) map.set(keyOf(o), b);
  else map.delete(keyOf(o));
}
