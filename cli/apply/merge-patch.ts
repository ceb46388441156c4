// JSON merge patches (RFC 7386) and kubectl's three-way merge patch for client-side apply:
// what changed from the live object to the manifest, plus deletions of the fields that the
// last applied manifest had and the new one dropped. Fields others set (status, defaults,
// controllers' writes) are never touched, because only the last applied manifest can delete.

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => !!v && typeof v === "object" && !Array.isArray(v);

/** Deep equality of JSON values. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The merge patch that turns `from` into `to` (keys absent from `to` become null; lists are replaced whole). */
export function createMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) patch[k] = v;
    else if (isObject(v) && isObject(from[k])) {
      const sub = createMergePatch(from[k] as JsonObject, v);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (!jsonEqual(from[k], v)) patch[k] = v;
  }
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  return patch;
}

/**
 * Keeps only the deletions of a patch (`keepNull`) or only its additions and changes. An
 * explicitly empty object is a value (kept among the changes), not an empty patch.
 */
function filterNulls(patch: JsonObject, keepNull: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (keepNull) out[k] = null;
    } else if (isObject(v)) {
      if (Object.keys(v).length === 0) {
        if (!keepNull) out[k] = v;
        continue;
      }
      const sub = filterNulls(v, keepNull);
      if (Object.keys(sub).length > 0) out[k] = sub;
    } else if (!keepNull) out[k] = v;
  }
  return out;
}

/** Applies a merge patch to a document (RFC 7386). */
export function applyMergePatch(doc: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/**
 * kubectl's CreateThreeWayJSONMergePatch: from `current` (live) to `modified` (the manifest),
 * deleting what `original` (the last applied manifest) had and `modified` no longer has.
 * An empty object means nothing to change.
 */
export function threeWayMergePatch(
  original: JsonObject | undefined,
  modified: JsonObject,
  current: JsonObject,
): JsonObject {
  const changes = filterNulls(createMergePatch(current, modified), false);
  const deletions = filterNulls(createMergePatch(original ?? {}, modified), true);
  return applyMergePatch(deletions, changes) as JsonObject;
}
