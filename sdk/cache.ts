// The informer's store: objects by key (`namespace/name`, or `name` when cluster-scoped) plus
// indexes from a value (a namespace, a `key=value` label, an owner uid, or anything a custom
// index function returns) to the keys of the objects that have it. Objects handed out are the
// cache's own: treat them as read-only.
import type { StellaObject } from "../crds/meta.ts";

/** Returns the index values of an object (none, one or several). */
export type IndexFunc<T> = (obj: T) => string[];

/** Built-in index: the object's namespace. */
export const NAMESPACE_INDEX = "namespace";
/** Built-in index: each label as `key=value`. */
export const LABEL_INDEX = "label";
/** Built-in index: the uid of each owner reference. */
export const OWNER_INDEX = "owner";

const builtins: Record<string, IndexFunc<StellaObject>> = {
  [NAMESPACE_INDEX]: (o) => [o.metadata.namespace ?? ""],
  [LABEL_INDEX]: (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  [OWNER_INDEX]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
};

/** The cache key of an object: `namespace/name`, or `name` for a cluster-scoped object. */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? "");
}

/** The namespace ("" when cluster-scoped) and name of a cache key. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** What replace() changed. */
export interface ReplaceDelta<T> {
  added: T[];
  updated: { old: T; obj: T }[];
  deleted: T[];
}

/** An indexed object store. Not thread-safe in any sense beyond JavaScript's single thread. */
export class Cache<T extends StellaObject = StellaObject> {
  private readonly items = new Map<string, T>();
  private readonly funcs = new Map<string, IndexFunc<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.addIndexers({ ...(builtins as Record<string, IndexFunc<T>>), ...indexers });
  }

  /** Adds index functions (indexing the objects already present); a name already used is an error. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.funcs.has(name)) throw new TypeError(`index ${JSON.stringify(name)} already exists`);
      this.funcs.set(name, fn);
      this.indexes.set(name, new Map());
      for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
    }
  }

  /** The object at `key`, if any. */
  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** The object `name` in `namespace` ("" or undefined for cluster-scoped). */
  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Every object. */
  list(): T[] {
    return [...this.items.values()];
  }

  /** Every key. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** How many objects there are. */
  get size(): number {
    return this.items.size;
  }

  /** The objects whose index function `index` returned `value`. An unknown index is a TypeError. */
  byIndex(index: string, value: string): T[] {
    const keys = this.index(index).get(value);
    return keys ? [...keys].map((k) => this.items.get(k)!) : [];
  }

  /** The values present in index `index`. */
  indexValues(index: string): string[] {
    return [...this.index(index).keys()];
  }

  /** Objects in `namespace` (all when absent) that carry every label of `labels`. */
  select(opts: { namespace?: string; labels?: Record<string, string> }): T[] {
    const sets: Set<string>[] = [];
    if (opts.namespace !== undefined) sets.push(this.index(NAMESPACE_INDEX).get(opts.namespace) ?? new Set());
    for (const [k, v] of Object.entries(opts.labels ?? {}))
      sets.push(this.index(LABEL_INDEX).get(`${k}=${v}`) ?? new Set());
    if (sets.length === 0) return this.list();
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    return [...smallest].filter((k) => rest.every((s) => s.has(k))).map((k) => this.items.get(k)!);
  }

  /** Stores `obj` under its key; returns the object it replaced. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.funcs) this.indexOne(name, fn, key, obj);
    return old;
  }

  /** Removes the object at `key`; returns it. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Makes the cache hold exactly `items`, and says what that added, changed and removed. */
  replace(items: T[]): ReplaceDelta<T> {
    const delta: ReplaceDelta<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      const old = this.upsert(obj);
      if (old) delta.updated.push({ old, obj });
      else delta.added.push(obj);
    }
    for (const key of [...this.items.keys()]) if (!seen.has(key)) delta.deleted.push(this.remove(key)!);
    return delta;
  }

  private index(name: string): Map<string, Set<string>> {
    const idx = this.indexes.get(name);
    if (!idx) throw new TypeError(`no index named ${JSON.stringify(name)}`);
    return idx;
  }

  private indexOne(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const idx = this.indexes.get(name)!;
    for (const value of fn(obj)) {
      let keys = idx.get(value);
      if (!keys) idx.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.funcs) {
      const idx = this.indexes.get(name)!;
      for (const value of fn(obj)) {
        const keys = idx.get(value);
        keys?.delete(key);
        if (keys?.size === 0) idx.delete(value);
      }
    }
  }
}
