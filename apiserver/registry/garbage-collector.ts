// The garbage collector: deletes dependents whose owners are gone (ownerReferences), finishes
// foreground and orphan deletions, and empties namespaces being deleted. It runs inside the
// apiserver on the storage's event stream; every action is idempotent, so several apiserver
// replicas may run it at once.
import { isConflict, isNotFound } from "../../crds/errors.ts";
import type { OwnerReference, StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { StorageEvent, Watch } from "../storage/types.ts";
import { deleteObject, FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from "./delete-object.ts";
import { NAMESPACE_FINALIZER } from "./namespaces.ts";
import type { Store } from "./store.ts";

const MANAGER = "stella-garbage-collector";

interface Ref {
  info: KindInfo;
  namespace: string;
  name: string;
}

const refKey = (r: { info: KindInfo; namespace: string; name: string }) => `${r.info.plural}/${r.namespace}/${r.name}`;

/**
 * What the collector keeps of each object: only the metadata it acts on (not the whole object, to stay small at 100k
 * objects).
 */
interface Slim {
  metadata: Pick<StellaObject["metadata"], "uid" | "ownerReferences" | "deletionTimestamp" | "finalizers">;
  phase?: string;
}

const slim = (o: StellaObject): Slim => ({
  metadata: {
    uid: o.metadata.uid,
    ownerReferences: o.metadata.ownerReferences,
    deletionTimestamp: o.metadata.deletionTimestamp,
    finalizers: o.metadata.finalizers,
  },
  phase: (o.status as { phase?: string } | undefined)?.phase,
});

/** Something the collector reports (a failed attempt is retried on the next event or sweep). */
export type GcLogger = (msg: string, fields: Record<string, unknown>) => void;

/** Watches every kind and keeps ownership and namespace deletion moving. */
export class GarbageCollector {
  /** uid of a live object -> where it is. */
  private readonly live = new Map<string, Ref>();
  /** owner uid -> keys of objects that name it in ownerReferences. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly byKey = new Map<string, { ref: Ref; obj: Slim }>();
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  private watch: Watch | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly kinds: readonly KindInfo[],
    private readonly log: GcLogger = () => {},
    private readonly sweepMs = 30_000,
  ) {}

  /** Loads the current state and follows every change from then on. */
  async start(): Promise<void> {
    const since = await this.store.storage.currentRV();
    for (const info of this.kinds) {
      let cont: string | undefined;
      do {
        const page = await this.store.list(info, undefined, { limit: 500, continue: cont });
        for (const o of page.items) this.observe(info, o as StellaObject, false);
        cont = page.continue;
      } while (cont);
    }
    this.watch = await this.store.storage.watch({ sinceRV: since }, { onEvent: (e) => this.onEvent(e) });
    for (const k of this.byKey.keys()) this.pending.add(k);
    this.kick();
    this.sweepTimer = setInterval(() => {
      for (const k of this.byKey.keys()) this.pending.add(k);
      this.kick();
    }, this.sweepMs);
    this.sweepTimer.unref();
  }

  /** Stops following changes and waits for the attempt in progress. */
  async stop(): Promise<void> {
    this.watch?.close();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.pending.clear();
    await this.running;
  }

  private onEvent(e: StorageEvent): void {
    const info = this.kinds.find((k) => k.plural === e.key.resource);
    if (!info) return;
    this.observe(info, e.object as StellaObject, e.type === "DELETED");
    this.kick();
  }

  private observe(info: KindInfo, obj: StellaObject, deleted: boolean): void {
    const ref: Ref = { info, namespace: obj.metadata.namespace ?? "", name: obj.metadata.name ?? "" };
    const key = refKey(ref);
    const uid = obj.metadata.uid ?? "";
    const old = this.byKey.get(key);
    for (const o of old?.obj.metadata.ownerReferences ?? []) this.dependents.get(o.uid)?.delete(key);
    if (deleted) {
      this.byKey.delete(key);
      this.live.delete(uid);
    } else {
      this.byKey.set(key, { ref, obj: slim(obj) });
      this.live.set(uid, ref);
      for (const o of obj.metadata.ownerReferences ?? []) {
        if (!this.dependents.has(o.uid)) this.dependents.set(o.uid, new Set());
        this.dependents.get(o.uid)!.add(key);
        this.pending.add(key);
      }
      if (obj.metadata.deletionTimestamp) this.pending.add(key);
    }
    // Whatever depends on this object, and whatever owns it (a foreground deletion waits for its
    // dependents to go), may need work now.
    for (const d of this.dependents.get(uid) ?? []) this.pending.add(d);
    for (const o of obj.metadata.ownerReferences ?? []) {
      const owner = this.live.get(o.uid);
      if (owner) this.pending.add(refKey(owner));
    }
    if (info.kind === "Namespace" && deleted === false && obj.metadata.deletionTimestamp)
      for (const [k, v] of this.byKey) if (v.ref.namespace === ref.name) this.pending.add(k);
    if (info.namespaced) {
      const ns = this.byKey.get(`namespaces//${ref.namespace}`);
      if (ns?.obj.metadata.deletionTimestamp) this.pending.add(refKey(ns.ref));
    }
  }

  private kick(): void {
    if (this.running || this.pending.size === 0) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.pending.size > 0) setImmediate(() => this.kick());
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      const entry = this.byKey.get(key);
      if (!entry) continue;
      try {
        await this.process(entry.ref, entry.obj);
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err))
          this.log("garbage collection step failed", { object: key, error: String(err) });
      }
    }
  }

  private async process(ref: Ref, obj: Slim): Promise<void> {
    const finalizers = obj.metadata.finalizers ?? [];
    const deps = [...(this.dependents.get(obj.metadata.uid ?? "") ?? [])]
      .map((k) => this.byKey.get(k))
      .filter((d) => d !== undefined);
    if (obj.metadata.deletionTimestamp && finalizers.includes(ORPHAN_FINALIZER)) {
      for (const d of deps) await this.dropOwner(d.ref, obj.metadata.uid!);
      await this.removeFinalizer(ref, ORPHAN_FINALIZER);
    } else if (obj.metadata.deletionTimestamp && finalizers.includes(FOREGROUND_FINALIZER)) {
      for (const d of deps)
        if (!d.obj.metadata.deletionTimestamp)
          await deleteObject(this.store, d.ref.info, d.ref.namespace, d.ref.name, { propagationPolicy: "Foreground" });
      if (deps.length === 0) await this.removeFinalizer(ref, FOREGROUND_FINALIZER);
    }
    if (ref.info.kind === "Namespace" && obj.metadata.deletionTimestamp && finalizers.includes(NAMESPACE_FINALIZER))
      await this.emptyNamespace(ref);
    const owners = obj.metadata.ownerReferences ?? [];
    if (owners.length > 0) await this.checkOwners(ref, obj, owners);
  }

  private async checkOwners(ref: Ref, obj: Slim, owners: OwnerReference[]): Promise<void> {
    const dangling: string[] = [];
    for (const o of owners) if (!(await this.ownerExists(ref.namespace, o))) dangling.push(o.uid);
    if (dangling.length === 0) return;
    if (dangling.length === owners.length) {
      if (!obj.metadata.deletionTimestamp)
        await deleteObject(this.store, ref.info, ref.namespace, ref.name, { propagationPolicy: "Background" });
      return;
    }
    for (const uid of dangling) await this.dropOwner(ref, uid);
  }

  private async ownerExists(namespace: string, owner: OwnerReference): Promise<boolean> {
    const known = this.live.get(owner.uid);
    if (known) return true;
    const info = this.kinds.find((k) => k.kind === owner.kind);
    if (!info) return false;
    try {
      const o = await this.store.get(info, info.namespaced ? namespace : undefined, owner.name);
      return o.metadata.uid === owner.uid;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async emptyNamespace(ns: Ref): Promise<void> {
    const phase = this.byKey.get(refKey(ns))?.obj.phase;
    if (phase !== "Terminating")
      await this.store.mutate(ns.info, undefined, ns.name, { fieldManager: MANAGER, subresource: "status" }, (cur) => ({
        ...cur,
        status: { ...(cur.status as object), phase: "Terminating" },
      }));
    const inside = [...this.byKey.values()].filter((v) => v.ref.info.namespaced && v.ref.namespace === ns.name);
    for (const v of inside)
      if (!v.obj.metadata.deletionTimestamp)
        await deleteObject(this.store, v.ref.info, v.ref.namespace, v.ref.name, { propagationPolicy: "Background" });
    if (inside.length === 0) await this.removeFinalizer(ns, NAMESPACE_FINALIZER);
  }

  private dropOwner(ref: Ref, ownerUid: string): Promise<unknown> {
    return this.store.mutate(ref.info, ref.namespace, ref.name, { fieldManager: MANAGER }, (cur) => {
      const left = (cur.metadata.ownerReferences ?? []).filter((o) => o.uid !== ownerUid);
      if (left.length === 0) delete cur.metadata.ownerReferences;
      else cur.metadata.ownerReferences = left;
      return cur;
    });
  }

  private removeFinalizer(ref: Ref, finalizer: string): Promise<unknown> {
    return this.store.mutate(ref.info, ref.namespace, ref.name, { fieldManager: MANAGER }, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (cur.metadata.finalizers.length === 0) delete cur.metadata.finalizers;
      return cur;
    });
  }
}
