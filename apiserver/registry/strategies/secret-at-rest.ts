// Secrets at rest: the whole object is sealed (AES-256-GCM), as Kubernetes' encryption at rest
// seals the whole etcd value, because secret material hides in more places than `data` — the
// last-applied annotation of client-side apply repeats stringData in the clear. Only the metadata
// that storage and the garbage collector read without the key stays in the clear: identity,
// labels, owner references, finalizers and deletion state. Annotations and managedFields are sealed.
//
// Stored form: { apiVersion, kind, metadata: <clear subset>, sealedObject: "v1:<key>:<...>" }.
// The older form sealed only data ({ ...object without data, sealedData }) and still reads;
// resealLegacySecrets rewrites such rows in the new form.
import type { StellaObject } from "../../../crds/meta.ts";
import { SealedValueError, type SecretCipher } from "../../secrets/cipher.ts";
import { isStorageError, type Storage, type StoredObject } from "../../storage/types.ts";
import type { StorageTransform } from "../strategy.ts";

/** The stored field holding the sealed object. */
export const SEALED_OBJECT = "sealedObject";
/** The stored field of the older format, which sealed only `data`. */
export const LEGACY_SEALED_DATA = "sealedData";

/** Metadata kept in the clear: what lists, the garbage collector and storage need without the key. */
const CLEAR_METADATA = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "ownerReferences",
  "finalizers",
] as const;

type Stored = StellaObject & { [SEALED_OBJECT]?: string; [LEGACY_SEALED_DATA]?: string };

function clearMetadata(meta: StellaObject["metadata"]): StellaObject["metadata"] {
  const out: Record<string, unknown> = {};
  for (const k of CLEAR_METADATA) if (meta[k] !== undefined) out[k] = meta[k];
  return out as StellaObject["metadata"];
}

/** Seals Secrets whole on the way to storage and opens them on the way back (either format). */
export function secretTransform(cipher: SecretCipher): StorageTransform {
  return {
    encode(obj) {
      const { resourceVersion: _rv, ...metadata } = obj.metadata;
      const sealed = cipher.seal(Buffer.from(JSON.stringify({ ...obj, metadata })));
      return {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        metadata: clearMetadata(obj.metadata),
        [SEALED_OBJECT]: sealed,
      } as StellaObject;
    },
    decode(obj) {
      const stored = obj as Stored;
      if (stored[SEALED_OBJECT] !== undefined) {
        const inner = JSON.parse(cipher.open(stored[SEALED_OBJECT]).toString("utf8")) as StellaObject;
        // The clear metadata must name the same object: a sealed body copied into another row is refused.
        const [a, b] = [inner.metadata, stored.metadata];
        if (a.uid !== b.uid || a.name !== b.name || a.namespace !== b.namespace)
          throw new SealedValueError(
            `sealed object does not belong to secret ${stored.metadata.namespace}/${stored.metadata.name}`,
          );
        const rv = stored.metadata.resourceVersion;
        return { ...inner, metadata: { ...inner.metadata, ...(rv === undefined ? {} : { resourceVersion: rv }) } };
      }
      const { [LEGACY_SEALED_DATA]: legacy, ...rest } = stored;
      if (legacy === undefined) return obj;
      const data = JSON.parse(cipher.open(legacy).toString("utf8")) as Record<string, string>;
      return (Object.keys(data).length > 0 ? { ...rest, data } : rest) as StellaObject;
    },
  };
}

/**
 * Rewrites every Secret still stored in the older format (annotations in the clear) in the sealed
 * form; returns how many it rewrote. A row another writer changed meanwhile is left to that write.
 * Old event rows keep the older form until compaction drops them (and PostgreSQL keeps dead row
 * versions until VACUUM).
 */
export async function resealLegacySecrets(storage: Storage, transform: StorageTransform): Promise<number> {
  let rewritten = 0;
  let cont: string | undefined;
  do {
    const page = await storage.list({ resource: "secrets", limit: 500, continue: cont });
    for (const row of page.items) {
      if ((row as Stored)[LEGACY_SEALED_DATA] === undefined) continue;
      const key = {
        resource: "secrets",
        namespace: String(row.metadata.namespace ?? ""),
        name: String(row.metadata.name ?? ""),
      };
      const rv = Number(row.metadata.resourceVersion);
      try {
        await storage.update(key, transform.encode(transform.decode(row as StellaObject)) as StoredObject, rv);
        rewritten++;
      } catch (err) {
        if (!isStorageError(err, "Conflict") && !isStorageError(err, "NotFound")) throw err;
      }
    }
    cont = page.continue;
  } while (cont);
  return rewritten;
}
