// A reusable rule: a field that may not change once set (or once a condition holds).
import { isDeepStrictEqual } from "node:util";
import type { StatusCause } from "../../../crds/errors.ts";

/** Reads a dotted path out of a JSON object. */
export function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A cause for each path whose value differs between the old and the new object. */
export function immutableFields(next: unknown, old: unknown, paths: string[], why: string): StatusCause[] {
  return paths
    .filter((p) => !isDeepStrictEqual(readPath(next, p), readPath(old, p)))
    .map((field) => ({ reason: "FieldValueForbidden", field, message: `field is immutable ${why}` }));
}
