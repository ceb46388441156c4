// Typed calls on one kind: get, list, create, update, updateStatus, patch, apply, delete, watch.
// Namespaced calls on one object use the object's namespace, else the client's default; list and
// watch without a namespace span all namespaces (as controller-runtime's client does).
import type { StellaObject } from "../crds/meta.ts";
import type { KindInfo } from "../crds/scheme-types.ts";
import { apiVersionOf } from "../crds/scheme.ts";
import { resourcePath } from "./resource-path.ts";
import type { Query, Transport } from "./transport.ts";
import { resilientWatch, type ResilienceOptions, type WatchEvent } from "./watch.ts";

/** A page of a list. */
export interface ObjectList<T> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** Which objects a list or watch covers. */
export interface SelectOptions {
  /** One namespace; absent means all namespaces. */
  namespace?: string;
  /** e.g. `app=web,tier!=db`. */
  labelSelector?: string;
  /** e.g. `metadata.name=web,status.phase=Ready`. */
  fieldSelector?: string;
  signal?: AbortSignal;
}

/** Options of list. */
export interface ListOptions extends SelectOptions {
  limit?: number;
  continue?: string;
}

/** Options of get and delete: which namespace (the client's default when absent). */
export interface ObjectOptions {
  namespace?: string;
  signal?: AbortSignal;
}

/** Options of every write. */
export interface WriteOptions {
  /** Validate and default on the server, but store nothing (`dryRun=All`). */
  dryRun?: boolean;
  fieldManager?: string;
  signal?: AbortSignal;
}

/** How a patch body is interpreted. */
export type PatchType = "merge" | "json" | "apply";

/** Options of patch. `fieldManager` is required for apply. */
export interface PatchOptions extends WriteOptions, ObjectOptions {
  type: PatchType;
  /** Apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** Patch a subresource such as "status". */
  subresource?: string;
}

/** Options of delete. */
export interface DeleteOptions extends ObjectOptions {
  dryRun?: boolean;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  /** Delete only if the object still has this resourceVersion / uid. */
  preconditions?: { resourceVersion?: string; uid?: string };
}

/** Options of watch: what to select and how to survive failures. */
export type WatchOptions = Omit<SelectOptions, "signal"> & ResilienceOptions;

const PATCH_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
};

const writeQuery = (o: WriteOptions): Query => ({ dryRun: o.dryRun ? "All" : undefined, fieldManager: o.fieldManager });

/** The calls of one kind, typed by its object type `T`. */
export class ResourceClient<T extends StellaObject = StellaObject> {
  constructor(
    private readonly transport: Transport,
    readonly info: KindInfo,
    /** Namespace used for single-object calls that name none. */
    readonly defaultNamespace: string,
  ) {}

  /** `apiVersion` of this kind's objects. */
  get apiVersion(): string {
    return apiVersionOf(this.info);
  }

  /** Reads one object; ApiError 404 when absent. */
  get(name: string, opts: ObjectOptions = {}): Promise<T> {
    return this.transport.request<T>({ method: "GET", path: this.path(opts.namespace, name), signal: opts.signal });
  }

  /** One page of objects (all of them unless `limit`), consistent at `metadata.resourceVersion`. */
  list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    const query = {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit,
      continue: opts.continue,
    };
    return this.transport.request<ObjectList<T>>({
      method: "GET",
      path: this.collection(opts.namespace),
      query,
      signal: opts.signal,
    });
  }

  /** Every object, following `continue` with pages of `pageSize` (default 500); one consistent snapshot. */
  async listAll(opts: SelectOptions & { pageSize?: number } = {}): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = "";
    do {
      const page = await this.list({ ...opts, limit: opts.pageSize ?? 500, continue: cont });
      for (const item of page.items) items.push(item);
      rv = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont);
    return { items, resourceVersion: rv };
  }

  /** Creates `obj` in its namespace; ApiError 409 AlreadyExists when the name is taken. */
  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write(
      "POST",
      resourcePath(this.info, this.info.namespaced ? this.namespaceOf(obj) : undefined),
      obj,
      opts,
    );
  }

  /** Replaces `obj` (its status is ignored); ApiError 409 Conflict when its resourceVersion is stale. */
  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write("PUT", this.path(this.namespaceOf(obj), obj.metadata.name), obj, opts);
  }

  /** Replaces only the status of `obj` through the status subresource; 409 when stale. */
  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write("PUT", this.path(this.namespaceOf(obj), obj.metadata.name, "status"), obj, opts);
  }

  /** Patches object `name`: merge patch (an object), JSON patch (an array of operations) or server-side apply. */
  patch(name: string, patch: unknown, opts: PatchOptions): Promise<T> {
    const query = { ...writeQuery(opts), force: opts.type === "apply" && opts.force ? true : undefined };
    const path = this.path(opts.namespace, name, opts.subresource);
    return this.transport.request<T>({
      method: "PATCH",
      path,
      query,
      body: patch,
      contentType: PATCH_TYPES[opts.type],
      signal: opts.signal,
    });
  }

  /** Server-side apply of `obj` (it must name itself) as `fieldManager`. */
  apply(obj: T, opts: Omit<PatchOptions, "type" | "fieldManager"> & { fieldManager: string }): Promise<T> {
    const body = { ...obj, apiVersion: obj.apiVersion ?? this.apiVersion, kind: obj.kind ?? this.info.kind };
    return this.patch(obj.metadata.name!, body, {
      ...opts,
      type: "apply",
      namespace: opts.namespace ?? this.namespaceOf(obj),
    });
  }

  /**
   * Deletes object `name`. Resolves to the object when the server returns it (finalizers hold it,
   * or the kind answers with the object), undefined when the server answers with a Status.
   */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | undefined> {
    const body = {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: opts.propagationPolicy,
      preconditions: opts.preconditions,
      dryRun: opts.dryRun ? ["All"] : undefined,
    };
    const query = { dryRun: opts.dryRun ? "All" : undefined, propagationPolicy: opts.propagationPolicy };
    const res = await this.transport.request<T | { kind: "Status" } | undefined>({
      method: "DELETE",
      path: this.path(opts.namespace, name),
      query,
      body,
      signal: opts.signal,
    });
    return res && res.kind !== "Status" ? (res as T) : undefined;
  }

  /** Watches the selected objects; see resilientWatch for how it survives drops and 410 Gone. */
  watch(opts: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const path = this.collection(opts.namespace);
    const select = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    // Like client-go's reflector, ask for a random server timeout so many watchers don't reconnect at once.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    return resilientWatch<T>(
      {
        server: this.transport.config.server,
        path,
        list: (signal) => this.listAll({ ...opts, signal }),
        open: (resourceVersion, signal) =>
          this.transport.stream({
            method: "GET",
            path,
            query: { ...select, watch: true, resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
            signal,
            timeoutMs: (timeoutSeconds + 60) * 1000,
          }),
      },
      opts,
    );
  }

  private write(method: string, path: string, obj: T, opts: WriteOptions): Promise<T> {
    const body = { ...obj, apiVersion: obj.apiVersion ?? this.apiVersion, kind: obj.kind ?? this.info.kind };
    return this.transport.request<T>({ method, path, query: writeQuery(opts), body, signal: opts.signal });
  }

  private namespaceOf(obj: T): string {
    return obj.metadata.namespace ?? this.defaultNamespace;
  }

  private collection(namespace: string | undefined): string {
    return resourcePath(this.info, namespace);
  }

  private path(namespace: string | undefined, name: string | undefined, subresource?: string): string {
    if (!name) throw new TypeError(`${this.info.kind}: an object name is required`);
    return resourcePath(
      this.info,
      this.info.namespaced ? (namespace ?? this.defaultNamespace) : undefined,
      name,
      subresource,
    );
  }
}
