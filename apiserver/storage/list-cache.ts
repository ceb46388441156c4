// Lists from memory, like kube-apiserver's watch cache: the current objects of each listed
// resource, kept by the settled event stream, as UTF-8 JSON bytes (compact, and a list without
// selectors is answered by copying them into one body: no JSON encoding, no string building).
// A resource is loaded on its first list (that list is read from the database); from then on its
// state is the one at the feed's settled rv, which covers every acknowledged write. A page at an
// older rv (a continue token, or a list that waited for a settled rv the cache has since passed)
// is the current state with the changes after that rv undone, from the recent-event ring; when the
// ring no longer reaches back, the database answers.
import { encodeContinue } from "./continue-token.ts";
import type { EventRing } from "./event-ring.ts";
import type { StorageLogger } from "./options.ts";
import type { ListResult, StorageEvent, StoredObject } from "./types.ts";

/** One cached object. */
interface Entry {
  namespace: string;
  name: string;
  rv: number;
  /** The object as UTF-8 JSON, in its own ArrayBuffer (a pooled Buffer slice would pin its 8 KiB pool). */
  json: Uint8Array;
}

/** What to read from the cache (as ListOptions, with the rv the page is read at). */
export interface CachedPageRequest {
  resource: string;
  namespace: string | null;
  rv: number;
  after: [string, string];
  filter?: (obj: StoredObject) => boolean;
  limit?: number;
  /** The caller takes items as UTF-8 JSON (ListResult.encodedItems) when there is no filter. */
  encoded?: boolean;
}

/** Reads all objects of a resource as of a settled rv (the loader; list-query.ts in practice). */
export type LoadAll = (resource: string) => Promise<{ rv: number; items: StoredObject[] }>;

// "\0" sorts below every character of a name, so keys sort as (namespace, name) tuples do in
// the database's "C" collation (names and namespaces are ASCII DNS labels).
const keyOf = (namespace: string, name: string) => `${namespace}\0${name}`;

class ResourceState {
  readonly byKey = new Map<string, Entry>();
  private sorted: string[] | null = null;
  bytes = 0;

  put(e: Entry): void {
    const key = keyOf(e.namespace, e.name);
    const old = this.byKey.get(key);
    if (!old) this.sorted = null;
    this.bytes += e.json.length - (old?.json.length ?? 0);
    this.byKey.set(key, e);
  }

  remove(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const old = this.byKey.get(key);
    if (!old) return;
    this.bytes -= old.json.length;
    this.byKey.delete(key);
    this.sorted = null;
  }

  /** Keys in (namespace, name) order; re-sorted only after a create or delete. */
  keys(): string[] {
    this.sorted ??= [...this.byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.sorted;
  }
}

type Loading = { events: StorageEvent[] };

/** Tuning of the cache. */
export interface ListCacheOptions {
  /** Most JSON held, over all resources (bytes); past it the largest resource is dropped. */
  maxBytes: number;
  logger: StorageLogger;
}

/** The cached resources of one storage. */
export class ListCache {
  private readonly ready = new Map<string, ResourceState>();
  private readonly loading = new Map<string, Loading>();
  /** Resources dropped for size; they are listed from the database from then on. */
  private readonly tooBig = new Set<string>();
  private bytes = 0;

  constructor(
    /** The recent-event ring (complete up to its `top`, the settled rv the cache is at). */
    private readonly ring: () => EventRing,
    private readonly loadAll: LoadAll,
    private readonly options: ListCacheOptions,
  ) {}

  /** The settled rv the cached state is at. */
  get top(): number {
    return this.ring().top;
  }

  /** Bytes of JSON held. */
  get size(): number {
    return this.bytes;
  }

  /** A settled batch (ascending): applied to loaded resources, kept for resources being loaded. */
  apply(events: readonly StorageEvent[]): void {
    for (const e of events) {
      const state = this.ready.get(e.key.resource);
      if (state) {
        this.bytes -= state.bytes;
        applyEvent(state, e);
        this.bytes += state.bytes;
      } else this.loading.get(e.key.resource)?.events.push(e);
    }
    if (this.bytes > this.options.maxBytes) this.shed();
  }

  /**
   * One page from memory, or undefined when the resource is not loaded (a load starts) or the
   * page's rv is older than the ring reaches.
   */
  page(req: CachedPageRequest): ListResult | undefined {
    const state = this.ready.get(req.resource);
    if (!state) {
      this.startLoad(req.resource);
      return undefined;
    }
    const top = this.ring().top;
    if (req.rv > top) return undefined;
    const undo = req.rv === top ? new Map<string, Entry | null>() : this.changesSince(req.resource, req.rv, top);
    if (!undo) return undefined;
    return readCached(state, undo, req);
  }

  // For each key changed in (rv, top], its state at rv (null: absent), from the ring.
  private changesSince(resource: string, rv: number, top: number): Map<string, Entry | null> | undefined {
    const events = this.ring().slice(rv, top);
    if (!events) return undefined;
    const undo = new Map<string, Entry | null>();
    for (const e of events) {
      if (e.key.resource !== resource) continue;
      const key = keyOf(e.key.namespace, e.key.name);
      if (undo.has(key)) continue;
      const prev = e.prev;
      undo.set(key, prev ? entryOf(prev) : null);
    }
    return undo;
  }

  private startLoad(resource: string): void {
    if (this.loading.has(resource) || this.tooBig.has(resource)) return;
    const loading: Loading = { events: [] };
    // Registered before the read's rv is taken: every event above that rv is kept for replay.
    this.loading.set(resource, loading);
    void this.loadAll(resource).then(
      ({ rv, items }) => {
        this.loading.delete(resource);
        const state = new ResourceState();
        for (const o of items) state.put(entryOf(o));
        for (const e of loading.events) if (e.rv > rv) applyEvent(state, e);
        this.ready.set(resource, state);
        this.bytes += state.bytes;
        if (this.bytes > this.options.maxBytes) this.shed();
      },
      (err: Error) => {
        this.loading.delete(resource);
        const fields = { resource, error: err.message };
        this.options.logger.warn("list cache: loading a resource failed; it is listed from the database", fields);
      },
    );
  }

  // Drops the largest resources until the cache fits its bound again.
  private shed(): void {
    while (this.bytes > this.options.maxBytes && this.ready.size > 0) {
      const [resource, state] = [...this.ready].reduce((a, b) => (b[1].bytes > a[1].bytes ? b : a));
      this.ready.delete(resource);
      this.tooBig.add(resource);
      this.bytes -= state.bytes;
      const fields = { resource, bytes: state.bytes, maxBytes: this.options.maxBytes };
      this.options.logger.warn("list cache: resource dropped to stay within the cache bound", fields);
    }
  }
}

function applyEvent(state: ResourceState, e: StorageEvent): void {
  if (e.type === "DELETED") state.remove(e.key.namespace, e.key.name);
  else state.put(entryOf(e.object));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A decoded object (metadata.resourceVersion set) as a cache entry.
function entryOf(o: StoredObject): Entry {
  const m = o.metadata as { namespace?: string; name: string; resourceVersion: string };
  const json = encoder.encode(JSON.stringify(o));
  return { namespace: m.namespace ?? "", name: m.name, rv: Number(m.resourceVersion), json };
}

const parse = (e: Entry) => JSON.parse(decoder.decode(e.json)) as StoredObject;
const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : 1);

// The page: cached entries (those unchanged since rv) merged with the undone ones, in key order.
function readCached(state: ResourceState, undo: Map<string, Entry | null>, req: CachedPageRequest): ListResult {
  const keys = state.keys();
  const lo = req.namespace === null ? "" : keyOf(req.namespace, "");
  const hi = req.namespace === null ? undefined : keyOf(req.namespace, "\uffff");
  const start = keyOf(...req.after) > lo ? keyOf(...req.after) : lo;
  const inRange = (k: string) => k > start && (hi === undefined || k < hi);
  const undone = [...undo].filter(([k, v]) => v !== null && inRange(k)).sort(byKey) as Array<[string, Entry]>;
  const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
  const found: Entry[] = [];
  let i = upperBound(keys, start);
  let j = 0;
  let lastKey = "";
  let last: Entry | undefined;
  while (found.length < limit) {
    const fromCache = i < keys.length && (hi === undefined || keys[i] < hi) ? keys[i] : undefined;
    const fromUndo = j < undone.length ? undone[j][0] : undefined;
    if (fromCache === undefined && fromUndo === undefined) break;
    let entry: Entry;
    if (fromUndo !== undefined && (fromCache === undefined || fromUndo <= fromCache)) {
      entry = undone[j++][1];
      if (fromUndo === fromCache) i++;
    } else {
      i++;
      if (undo.has(fromCache!)) continue;
      entry = state.byKey.get(fromCache!)!;
    }
    lastKey = keyOf(entry.namespace, entry.name);
    last = entry;
    if (req.filter && !req.filter(parse(entry))) continue;
    found.push(entry);
  }
  const result: ListResult = { items: [], rv: req.rv };
  if (req.encoded && !req.filter) result.encodedItems = found.map((e) => e.json);
  else result.items = found.map(parse);
  const more = () => {
    const pass = (e: Entry) => !req.filter || req.filter(parse(e));
    if (undone.slice(j).some(([, e]) => pass(e))) return true;
    for (; i < keys.length && (hi === undefined || keys[i] < hi); i++) {
      if (!undo.has(keys[i]) && pass(state.byKey.get(keys[i])!)) return true;
    }
    return false;
  };
  if (found.length < limit || !last || !more()) return result;
  const after: [string, string] = [last.namespace, last.name];
  result.continue = encodeContinue({ rv: req.rv, resource: req.resource, namespace: req.namespace, after });
  if (!req.filter) result.remainingItemCount = remaining(keys, lastKey, hi, undo);
  return result;
}

// Items after `after` at the page's rv: cached keys after it, less those changed since, plus the undone present ones.
function remaining(keys: string[], after: string, hi: string | undefined, undo: Map<string, Entry | null>): number {
  const end = hi === undefined ? keys.length : upperBound(keys, hi);
  let n = end - upperBound(keys, after);
  for (const [k, v] of undo) {
    if (k <= after || (hi !== undefined && k >= hi)) continue;
    if (binaryHas(keys, k)) n--;
    if (v !== null) n++;
  }
  return n;
}

// The index of the first key > k.
function upperBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function binaryHas(keys: string[], k: string): boolean {
  const i = upperBound(keys, k) - 1;
  return i >= 0 && keys[i] === k;
}
