// Sealing evidence as it is stored. Every EvidencePacket created through the registry passes
// through here: it becomes the next link of its namespace's chain (sequence = head + 1,
// previousDigest = the head's digest), signed with the server's evidence key.
//
// Why a chain never forks:
// - In this process, creates in one namespace are serialized (KeyedLock), and the head is cached.
// - Across apiservers sharing PostgreSQL, the database is the arbiter: a unique index on
//   (namespace, spec.seal.sequence) of evidencepackets (migration 0002) makes the create of a
//   sequence another process already stored fail like a taken key, atomically with the write and
//   with no lock held between round trips. Then the head is re-read and the packet sealed again
//   as the next one; a taken name (the object exists) stays an AlreadyExists for the client.
// A dry run never reaches storage, so it never consumes a sequence.
import type { KeyObject } from "node:crypto";
import { sealPacket, type ChainHead } from "../../crds/evidence-seal.ts";
import type { EvidencePacket } from "../../crds/evidence-packet.ts";
import {
  isStorageError,
  StorageError,
  type ObjectKey,
  type Storage,
  type StoredObject,
  type WriteOptions,
} from "../storage/types.ts";
import { KeyedLock } from "./keyed-lock.ts";

/** The storage resource of EvidencePackets. */
export const EVIDENCE_RESOURCE = "evidencepackets";

/** How often a create re-reads the head after losing a sequence to another apiserver before giving up (503). */
const MAX_ATTEMPTS = 50;

type SealView = { spec?: { seal?: { sequence?: unknown; digest?: unknown } } };

/** The head of a chain among stored packets: the sealed packet with the highest sequence. */
export function chainHeadAmong(items: readonly StoredObject[]): ChainHead | undefined {
  let head: ChainHead | undefined;
  for (const o of items) {
    const seal = (o as SealView).spec?.seal;
    if (typeof seal?.sequence !== "number" || typeof seal.digest !== "string") continue;
    if (!head || seal.sequence > head.sequence) head = { sequence: seal.sequence, digest: seal.digest };
  }
  return head;
}

/** Seals and stores EvidencePackets, one namespace's chain at a time. */
export class EvidenceSealer {
  /** The known head per namespace (null: no packet yet); dropped whenever a write's outcome is uncertain. */
  private readonly heads = new Map<string, ChainHead | null>();
  private readonly lock = new KeyedLock();

  constructor(
    private readonly storage: Storage,
    private readonly key: KeyObject,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Seals `obj` as the next packet of its namespace and creates it; fails like Storage.create. */
  create(key: ObjectKey, obj: StoredObject, opts?: WriteOptions): Promise<StoredObject> {
    return this.lock.run(key.namespace, async () => {
      for (let attempt = 1; ; attempt++) {
        const head = await this.head(key.namespace);
        const sealed = this.seal(key, obj, head);
        try {
          const created = await this.storage.create(key, sealed as unknown as StoredObject, opts);
          const seal = sealed.spec.seal!;
          this.heads.set(key.namespace, { sequence: seal.sequence, digest: seal.digest });
          return created;
        } catch (err) {
          // Whatever failed, the write may or may not have landed: read the head again next time.
          this.heads.delete(key.namespace);
          if (!isStorageError(err, "KeyExists") || (await this.storage.get(key)) !== undefined) throw err;
          if (attempt >= MAX_ATTEMPTS)
            throw new StorageError(
              "Unavailable",
              `evidence chain of namespace ${key.namespace}: sequence ${head ? head.sequence + 1 : 0} was taken ${attempt} times in a row; retry`,
              key,
            );
        }
      }
    });
  }

  /** Seals `obj` after `head`; content JSON can not carry is Invalid (the strategy refuses it earlier). */
  private seal(key: ObjectKey, obj: StoredObject, head: ChainHead | undefined): EvidencePacket {
    try {
      return sealPacket(obj as unknown as EvidencePacket, head, this.key, this.now());
    } catch (err) {
      throw new StorageError("Invalid", `evidence packet can not be sealed: ${(err as Error).message}`, key);
    }
  }

  private async head(namespace: string): Promise<ChainHead | undefined> {
    const known = this.heads.get(namespace);
    if (known !== undefined) return known ?? undefined;
    const head = chainHeadAmong((await this.storage.list({ resource: EVIDENCE_RESOURCE, namespace })).items);
    this.heads.set(namespace, head ?? null);
    return head;
  }
}

/**
 * A Storage that seals EvidencePacket creates with `sealer` and passes everything else to `inner`
 * (every other method, present or added later, is forwarded as it is).
 */
export function sealingStorage(inner: Storage, sealer: EvidenceSealer): Storage {
  const create: Storage["create"] = (key, obj, opts) =>
    key.resource === EVIDENCE_RESOURCE ? sealer.create(key, obj, opts) : inner.create(key, obj, opts);
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "create") return create;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
