// RoleBindings, kept in memory so that authorizing a request costs no database round trip.
// A binding takes effect as soon as its event arrives.
import type { RoleBindingLike } from "../auth/authorize.ts";
import { isRole } from "../auth/roles.ts";
import { ResourceCache } from "../registry/resource-cache.ts";
import type { Storage, StoredObject } from "../storage/types.ts";

function toBinding(obj: StoredObject): RoleBindingLike | undefined {
  const spec = obj.spec as { role?: unknown; subjects?: { kind: "User" | "Group"; name: string }[] } | undefined;
  if (!spec || !isRole(spec.role)) return undefined;
  return { namespace: String(obj.metadata.namespace ?? ""), role: spec.role, subjects: spec.subjects ?? [] };
}

/** The current RoleBindings, by namespace. */
export class RoleBindingCache {
  private readonly cache: ResourceCache<RoleBindingLike>;

  constructor(storage: Storage) {
    this.cache = new ResourceCache(storage, "rolebindings", toBinding);
  }

  start(): Promise<void> {
    return this.cache.start();
  }

  stop(): void {
    this.cache.stop();
  }

  /** Bindings in one namespace. */
  inNamespace(namespace: string): RoleBindingLike[] {
    return [...this.cache.values()].filter((b) => b.namespace === namespace);
  }
}
