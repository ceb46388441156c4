// The generic store: create, read, update, patch and delete for every kind, over one Storage.
// It owns the API semantics that do not depend on HTTP: server-owned metadata, the status
// subresource, generation, optimistic concurrency, validation, managed fields and finalizers.
import { isDeepStrictEqual } from "node:util";
import { conflict, forbidden, internal, invalid, isNotFound, notFound, type StatusCause } from "../../crds/errors.ts";
import type { StellaObject, UserInfo } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { namespaceKind } from "../../crds/namespace.ts";
import { validateObject } from "../../crds/validate.ts";
import { updateManagedFields } from "./patch/managed-fields.ts";
import type {
  ListResult,
  Storage,
  StorageEvent,
  StoredObject,
  Watch,
  WatchHandlers,
  WatchOptions,
} from "../storage/types.ts";
import { isStorageError } from "../storage/types.ts";
import { errorTarget, storageKey } from "./keys.ts";
import { metadataLimitCauses } from "./metadata-limits.ts";
import type { AuditContext } from "./audit-context.ts";
import type { ResourceCache } from "./resource-cache.ts";
import {
  checkIdentity,
  clone,
  finalizerCauses,
  nameSuffix,
  prepareCreateMeta,
  preserveServerMeta,
  readyToRemove,
} from "./object-meta.ts";
import { asObject, checkEnvelope, parseResourceVersion } from "./request-body.ts";
import { toApiError, translated } from "./storage-errors.ts";
import { strategyFor, type Admission, type StorageTransform, type Strategy } from "./strategy.ts";
import { strategies } from "./strategies/index.ts";
import { immutableFields } from "./strategies/immutable.ts";
import { blindView } from "./blind-write.ts";

// Storage events in API form, per event (a watch sees only its own kind's events).
const decodedEvents = new WeakMap<StorageEvent, StorageEvent>();

/** Options every write takes. */
export interface WriteOptions {
  dryRun?: boolean;
  /** Who owns the fields this write sets (managedFields); the HTTP layer always supplies one. */
  fieldManager: string;
  /** "status" for the status subresource ("approval" for promotions' decisions); undefined for the main resource. */
  subresource?: string;
  /** The request's audit record, committed with the write. */
  audit?: AuditContext;
  /** Who is asking, from the token; strategies set server-owned fields from it. */
  requester?: UserInfo;
  /** The caller's roles in the request's namespace, for admission rules (strategy.ts); undefined in-process. */
  roles?: readonly string[];
  /**
   * The caller may not read the kind's secret content: an update is computed blind (blind-write.ts),
   * so its outcome cannot depend on a value the caller may not see. The HTTP layer sets it.
   */
  blind?: boolean;
}

/** The storage options of one audited write, marking the context written once it succeeds. */
function audited(ctx: AuditContext | undefined, name: string, code: number) {
  return ctx ? { audit: ctx.record(name, code) } : {};
}

/** What a list asks for. */
export interface ListRequest {
  filter?: (o: StellaObject) => boolean;
  limit?: number;
  continue?: string;
  /** The caller can take items as JSON text (see Store.list). */
  encoded?: boolean;
}

/** Computes the next version of an object from the current one, for `mutate`. */
export type Mutation = (current: StellaObject) => StellaObject | Promise<StellaObject>;

/** How `mutate` computes managed fields: an ordinary update, or apply which sets them itself. */
export type FieldOwnership = "Update" | "Apply";

const MAX_RETRIES = 8;

/** The stored resourceVersion of an object read from storage. */
const rvOf = (obj: StellaObject) => Number(obj.metadata.resourceVersion ?? 0);

/** The generic store over one Storage; stateless apart from its collaborators. */
export class Store {
  constructor(
    readonly storage: Storage,
    /** Per-kind storage encodings (e.g. Secret encryption at rest), by kind. */
    private readonly transforms: Record<string, StorageTransform> = {},
    /** Known namespaces (kept from the event stream), to check creates without a round trip. */
    private readonly namespaces?: ResourceCache<{ terminating: boolean }>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The stored form of an object (encrypted where its kind says so; converted when stored as another version). */
  encode(info: KindInfo, obj: StellaObject): StoredObject {
    const t = this.transforms[info.kind];
    const stored = (t ? t.encode(obj) : obj) as StoredObject;
    return info.storedAs ? (info.storedAs.toStorage(stored) as StoredObject) : stored;
  }

  /** The API form of a stored object. */
  decode(info: KindInfo, obj: StoredObject): StellaObject {
    const t = this.transforms[info.kind];
    const shown = info.storedAs ? (info.storedAs.fromStorage(obj) as StellaObject) : (obj as StellaObject);
    return t ? t.decode(shown) : shown;
  }

  /** Writes an update at `expectedRV` and returns the stored result in API form. */
  async writeUpdate(
    info: KindInfo,
    namespace: string | undefined,
    obj: StellaObject,
    expectedRV: number,
    audit?: AuditContext,
    code = 200,
  ): Promise<StellaObject> {
    const key = storageKey(info, namespace, obj.metadata.name!);
    const out = this.decode(
      info,
      await translated(info, key.name, () =>
        this.storage.update(key, this.encode(info, obj), expectedRV, audited(audit, key.name, code)),
      ),
    );
    if (audit) audit.written = true;
    return out;
  }

  /** Removes an object at `expectedRV` and returns its final state in API form. */
  async writeDelete(
    info: KindInfo,
    namespace: string | undefined,
    name: string,
    expectedRV: number,
    audit?: AuditContext,
  ): Promise<StellaObject> {
    const out = this.decode(
      info,
      await translated(info, name, () =>
        this.storage.delete(storageKey(info, namespace, name), expectedRV, audited(audit, name, 200)),
      ),
    );
    if (audit) audit.written = true;
    return out;
  }

  /** Watches one kind; event objects arrive in API form. */
  watch(info: KindInfo, opts: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
    // Every watcher receives the same storage event: decoded once for all of them, so the HTTP
    // layer can serialize the one decoded object once too.
    const decoded = (e: StorageEvent): StorageEvent => {
      let out = decodedEvents.get(e);
      if (!out) {
        const object = this.decode(info, e.object) as StoredObject;
        out = { ...e, object, prev: e.prev && (this.decode(info, e.prev) as StoredObject) };
        decodedEvents.set(e, out);
      }
      return out;
    };
    return this.storage.watch(opts, { ...handlers, onEvent: (e) => handlers.onEvent(decoded(e)) });
  }

  strategy(info: KindInfo): Strategy {
    return strategyFor(strategies, info.kind);
  }

  /** Whether objects of the kind hold secret content (which callers without read must not see). */
  hasSecretContent(info: KindInfo): boolean {
    return this.strategy(info).content !== undefined;
  }

  /** The object without its secret content, for a caller who may not read it. */
  redact(info: KindInfo, obj: StellaObject): StellaObject {
    const content = this.strategy(info).content;
    return content ? content.redact(obj) : obj;
  }

  /** Reads one object; 404 when absent. */
  async get(info: KindInfo, namespace: string | undefined, name: string): Promise<StellaObject> {
    const obj = await translated(info, name, () => this.storage.get(storageKey(info, namespace, name)));
    if (!obj) throw notFound(errorTarget(info, name));
    return this.decode(info, obj);
  }

  /**
   * Lists objects of a kind (one namespace or all) that pass `filter`. With `encoded`, items may
   * come as UTF-8 JSON (ListResult.encodedItems) for kinds stored as they are served.
   */
  async list(info: KindInfo, namespace: string | undefined, opts: ListRequest): Promise<ListResult> {
    const filter = opts.filter && ((o: StoredObject) => opts.filter!(this.decode(info, o)));
    const decoded = this.transforms[info.kind] || info.storedAs;
    const encoded = opts.encoded && !decoded;
    const ns = info.namespaced ? namespace : undefined;
    const { limit, continue: cont } = opts;
    const request = { resource: info.plural, namespace: ns, filter, limit, continue: cont, encoded };
    const page = await translated(info, undefined, () => this.storage.list(request));
    return decoded ? { ...page, items: page.items.map((o) => this.decode(info, o) as StoredObject) } : page;
  }

  /** What admission (strategy.admit/committed) sees of a write in `namespace`. */
  admission(
    verb: Admission["verb"],
    namespace: string | undefined,
    opts: Partial<WriteOptions>,
    objs: { next?: StellaObject; old?: StellaObject },
  ): Admission {
    const ns = namespace ?? "default";
    return {
      verb,
      namespace: ns,
      ...objs,
      subresource: opts.subresource,
      requester: opts.requester,
      roles: opts.roles,
      requestId: opts.audit?.base.requestId,
      dryRun: opts.dryRun ?? false,
      read: (info, name) =>
        this.get(info, ns, name).catch((err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        }),
      create: (info, obj) => this.create(info, ns, obj, { fieldManager: "stella-apiserver" }),
    };
  }

  /** Runs strategy.committed after a write; the write stands, so a failure says so rather than hiding it. */
  async afterCommit(info: KindInfo, a: Admission, stored: StellaObject): Promise<void> {
    try {
      await this.strategy(info).committed?.(a, stored);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw internal(
        `${info.plural} "${stored.metadata.name}" was written, but what must follow the write failed: ` + why,
      );
    }
  }

  /** Validates against the kind's schema and strategy; returns the parsed object or throws 422. */
  validate(info: KindInfo, obj: StellaObject, extra: StatusCause[] = []): StellaObject {
    // Limits first: a 100,000-label map would otherwise also give 100,000 schema causes.
    const limits = metadataLimitCauses(obj.metadata);
    if (limits.length > 0) throw invalid(errorTarget(info, obj.metadata?.name), limits);
    const result = validateObject(info, obj);
    const causes = [...(result.ok ? [] : result.causes), ...extra];
    const redact = this.strategy(info).redact;
    if (causes.length > 0) throw invalid(errorTarget(info, obj.metadata?.name), redact ? redact(causes) : causes);
    return (result.ok ? result.value : obj) as StellaObject;
  }

  /** Creates an object. `prepared` marks an object whose managedFields the caller already set (apply). */
  async create(
    info: KindInfo,
    namespace: string | undefined,
    body: unknown,
    opts: WriteOptions,
    prepared = false,
  ): Promise<StellaObject> {
    const obj = asObject(info, body);
    checkIdentity(obj.metadata, info.namespaced ? namespace : undefined, undefined);
    if (!obj.metadata.name && !obj.metadata.generateName)
      throw invalid(errorTarget(info), [
        { reason: "FieldValueRequired", field: "metadata.name", message: "name or generateName is required" },
      ]);
    if (info.hasStatus) delete obj.status;
    prepareCreateMeta(obj, info.namespaced ? namespace : undefined, this.now());
    const strategy = this.strategy(info);
    strategy.defaults?.(obj);
    strategy.prepareCreate?.(obj, opts.requester);
    strategy.normalize?.(obj);
    if (!prepared)
      obj.metadata.managedFields = updateManagedFields({
        live: undefined,
        updated: obj,
        manager: opts.fieldManager,
        operation: "Update",
        now: this.now(),
      });
    const value = this.validate(info, obj, strategy.validateCreate?.(obj) ?? []);
    if (info.namespaced) await this.requireNamespace(namespace ?? "default");
    const admission = this.admission("create", namespace, opts, { next: value });
    await strategy.admit?.(admission);
    if (opts.dryRun) return value;
    for (let attempt = 0; ; attempt++) {
      try {
        const created = await this.storage.create(
          storageKey(info, namespace, value.metadata.name!),
          this.encode(info, value),
          audited(opts.audit, value.metadata.name!, 201),
        );
        if (opts.audit) opts.audit.written = true;
        const out = this.decode(info, created);
        await this.afterCommit(info, admission, out);
        return out;
      } catch (err) {
        // A generated name that collided gets a fresh suffix, as Kubernetes does.
        if (isStorageError(err, "KeyExists") && obj.metadata.generateName && attempt < MAX_RETRIES) {
          value.metadata.name = `${obj.metadata.generateName}${nameSuffix()}`;
          continue;
        }
        throw toApiError(err, info, value.metadata.name);
      }
    }
  }

  /** Replaces an object (PUT). The body must carry the resourceVersion it was read at. */
  async update(
    info: KindInfo,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions,
  ): Promise<StellaObject> {
    const incoming = asObject(info, body);
    checkIdentity(incoming.metadata, info.namespaced ? namespace : undefined, name);
    const expected = parseResourceVersion(incoming.metadata.resourceVersion, "metadata.resourceVersion");
    if (expected === undefined)
      throw invalid(errorTarget(info, name), [
        { reason: "FieldValueRequired", field: "metadata.resourceVersion", message: "must be specified for an update" },
      ]);
    return this.mutate(info, namespace, name, opts, () => clone(incoming), { expectedRV: expected });
  }

  /**
   * The one read-modify-write loop behind update, patch and apply (Kubernetes' GuaranteedUpdate):
   * read, compute, validate, write at the read's resourceVersion; on a conflict without a client
   * precondition, read again and recompute.
   */
  async mutate(
    info: KindInfo,
    namespace: string | undefined,
    name: string,
    opts: WriteOptions,
    change: Mutation,
    how: { expectedRV?: number; ownership?: FieldOwnership } = {},
  ): Promise<StellaObject> {
    const key = storageKey(info, namespace, name);
    const content = opts.blind ? this.strategy(info).content : undefined;
    for (let attempt = 0; ; attempt++) {
      const stored = await this.get(info, namespace, name);
      // Blind, everything below sees tokens for secret values; `restore` swaps them back before the write.
      const view = content ? blindView(info, content, stored) : undefined;
      const current = view ? view.object : stored;
      if (how.expectedRV !== undefined && how.expectedRV !== rvOf(current))
        throw conflict(
          errorTarget(info, name),
          "the object has been modified; please apply your changes to the latest version and try again",
        );
      const proposed = await change(clone(current));
      checkEnvelope(info, proposed);
      const patchedRV = parseResourceVersion(proposed.metadata?.resourceVersion, "metadata.resourceVersion");
      if (patchedRV !== undefined && patchedRV !== rvOf(current))
        throw conflict(
          errorTarget(info, name),
          "the object has been modified; please apply your changes to the latest version and try again",
        );
      const next = this.merge(info, current, proposed, opts.subresource);
      this.strategy(info).prepareUpdate?.(next, current, opts.subresource);
      this.strategy(info).normalize?.(next);
      if (how.ownership !== "Apply")
        next.metadata.managedFields = updateManagedFields({
          live: current,
          updated: next,
          manager: opts.fieldManager,
          operation: "Update",
          now: this.now(),
          subresource: opts.subresource,
        });
      const strategy = this.strategy(info);
      const byStrategy = strategy.validateUpdate?.(next, current, opts.subresource) ?? [];
      const declared =
        opts.subresource === undefined
          ? immutableFields(next, current, info.immutableFields ?? [], "after creation").filter(
              (c) => !byStrategy.some((b) => b.field === c.field),
            )
          : [];
      const extra = [...finalizerCauses(current, next), ...byStrategy, ...declared];
      const seen = this.validate(info, next, extra);
      const { resourceVersion: _rv, ...currentMeta } = current.metadata;
      if (isDeepStrictEqual({ ...current, metadata: currentMeta }, seen)) return stored;
      // Restored values are checked again: copies between keys change the Secret's size.
      const value = view ? this.validate(info, view.restore(seen)) : seen;
      const admission = this.admission("update", namespace, opts, { next: value, old: stored });
      await strategy.admit?.(admission);
      if (opts.dryRun)
        return { ...value, metadata: { ...value.metadata, resourceVersion: current.metadata.resourceVersion } };
      let out: StellaObject;
      try {
        out = this.decode(
          info,
          readyToRemove(value)
            ? await this.storage.delete(key, rvOf(current), audited(opts.audit, name, 200))
            : await this.storage.update(key, this.encode(info, value), rvOf(current), audited(opts.audit, name, 200)),
        );
        if (opts.audit) opts.audit.written = true;
      } catch (err) {
        if (isStorageError(err, "Conflict") && how.expectedRV === undefined && attempt < MAX_RETRIES) continue;
        throw toApiError(err, info, name);
      }
      await this.afterCommit(info, admission, out);
      return out;
    }
  }

  /**
   * Combines the stored object with a proposed one according to the subresource: the main
   * resource ignores status; a subresource (status, or promotions' approval) changes nothing but status.
   */
  private merge(
    info: KindInfo,
    current: StellaObject,
    proposed: StellaObject,
    subresource: string | undefined,
  ): StellaObject {
    if (subresource !== undefined) {
      const next = clone(current);
      delete next.metadata.resourceVersion;
      if (proposed.status === undefined) delete next.status;
      else next.status = proposed.status;
      return next;
    }
    const next = clone(proposed);
    next.metadata ??= {};
    preserveServerMeta(current, next);
    if (info.hasStatus) {
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
    }
    return next;
  }

  /** Fails with 404 (or 403 while terminating) unless the namespace exists and is active. */
  async requireNamespace(namespace: string): Promise<void> {
    // The cache answers without a round trip; a namespace it has not seen yet (created a moment
    // ago, its event still on the way) is looked up in storage before saying no.
    let state = this.namespaces?.get("", namespace);
    if (state === undefined) {
      const ns = await translated(namespaceKind, namespace, () =>
        this.storage.get({ resource: "namespaces", namespace: "", name: namespace }),
      );
      state = ns ? { terminating: !!(ns.metadata as { deletionTimestamp?: string }).deletionTimestamp } : undefined;
    }
    if (!state) throw notFound({ group: "", kind: "Namespace", plural: "namespaces", name: namespace });
    if (state.terminating)
      throw forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`, {
        group: "",
        kind: "Namespace",
        plural: "namespaces",
        name: namespace,
      });
  }
}
