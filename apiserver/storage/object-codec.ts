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

/** A stored JSON value (jsonb, parsed by the driver, or JSON text) with metadata.resourceVersion set to `rv`. */
export function decodeObject(data: unknown, rv: number): StoredObject {
  const obj = (typeof data === "string" ? JSON.parse(data) : data) as StoredObject;
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new StorageError("Internal", "stored object is not a JSON object");
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
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
