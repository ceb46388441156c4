// Objects as stored and as returned. The database keeps JSON without metadata.resourceVersion
// (the rv lives in its own column); every object leaving storage carries it as a decimal string.
import { StorageError, type EventType, type ObjectKey, type StorageEvent, type StoredObject } from "./types.ts";

/** The JSON text to store for `obj`: a copy without metadata.resourceVersion. */
export function encodeObject(obj: StoredObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return JSON.stringify({ ...obj, metadata });
}

/** The object's metadata.uid, or "" when it has none. */
export function objectUid(obj: StoredObject): string {
  const uid = obj.metadata?.uid;
  return typeof uid === "string" ? uid : "";
}

// jsonb keeps object keys in its own order (shortest first); objects leave storage in the order
// of Kubernetes manifests instead: these keys first, in this order, then the rest as stored.
const TOP_KEYS = ["apiVersion", "kind", "metadata", "spec", "status"];
const METADATA_KEYS = [
  "name",
  "generateName",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
];

function ordered(obj: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

/** A stored JSON value (jsonb, parsed by the driver, or JSON text) with metadata.resourceVersion set to `rv`. */
export function decodeObject(data: unknown, rv: number): StoredObject {
  const obj = (typeof data === "string" ? JSON.parse(data) : data) as StoredObject;
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw new StorageError("Internal", "stored object is not a JSON object");
  const metadata = ordered({ ...obj.metadata, resourceVersion: String(rv) }, METADATA_KEYS);
  return ordered({ ...obj, metadata }, TOP_KEYS) as StoredObject;
}

/** A row of stella_events, as selected by EVENT_COLUMNS. */
export interface EventRow {
  rv: number;
  type: string;
  resource: string;
  namespace: string;
  name: string;
  object: unknown;
  prev: unknown;
  prev_rv: number | null;
  [column: string]: unknown;
}

/** The stella_events columns that make a StorageEvent. */
export const EVENT_COLUMNS = "rv, type, resource, namespace, name, object, prev, prev_rv";

/** A StorageEvent from its row: `object` at the event's rv, `prev` at the rv it replaced. */
export function decodeEvent(row: EventRow): StorageEvent {
  const key: ObjectKey = { resource: row.resource, namespace: row.namespace, name: row.name };
  return {
    rv: row.rv,
    type: row.type as EventType,
    key,
    object: decodeObject(row.object, row.rv),
    prev: row.prev === null || row.prev_rv === null ? null : decodeObject(row.prev, row.prev_rv),
  };
}
