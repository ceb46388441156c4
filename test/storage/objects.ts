// Test objects for storage suites.
import type { ObjectKey, StorageEvent, StoredObject } from "../../apiserver/storage/index.ts";

/** A minimal object for `key` with a spec. */
export function thing(
  key: ObjectKey,
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = {},
): StoredObject {
  return {
    apiVersion: "test.stella.io/v1",
    kind: "Thing",
    metadata: {
      name: key.name,
      namespace: key.namespace || undefined,
      uid: `uid-${key.namespace}-${key.name}`,
      labels,
    },
    spec,
  };
}

/** The object's resourceVersion as a number. */
export function rvOf(obj: StoredObject): number {
  const rv = obj.metadata.resourceVersion;
  if (typeof rv !== "string" || !/^[0-9]+$/.test(rv)) throw new Error(`bad resourceVersion ${String(rv)}`);
  return Number(rv);
}

/** "namespace/name" of an object or event key. */
export function keyOf(k: ObjectKey | StoredObject): string {
  if ("resource" in k && typeof k.resource === "string")
    return `${(k as ObjectKey).namespace}/${(k as ObjectKey).name}`;
  const m = (k as StoredObject).metadata;
  return `${(m.namespace as string | undefined) ?? ""}/${m.name as string}`;
}

/** Applies watch events to a list snapshot (namespace/name -> object), like an informer cache. */
export function applyEvents(
  state: Map<string, StoredObject>,
  events: readonly StorageEvent[],
): Map<string, StoredObject> {
  for (const e of events) {
    if (e.type === "DELETED") state.delete(keyOf(e.key));
    else state.set(keyOf(e.key), e.object);
  }
  return state;
}
