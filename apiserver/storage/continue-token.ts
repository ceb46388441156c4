// The continue token of a paginated list: the list's resourceVersion and the last key returned,
// so every later page reads the same snapshot ("as of" that rv) after that key.
import { StorageError } from "./types.ts";

/** Where the next page of a list starts. */
export interface ContinuePoint {
  /** The resourceVersion the whole list is read at. */
  rv: number;
  resource: string;
  /** The namespace the list is limited to, or null for all namespaces. */
  namespace: string | null;
  /** The last (namespace, name) already returned. */
  after: [string, string];
}

/** An opaque, URL-safe token for `point`. */
export function encodeContinue(point: ContinuePoint): string {
  const body = { v: 1, rv: point.rv, r: point.resource, ns: point.namespace, k: point.after };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/**
 * Decodes a token of a list of `resource` in `namespace`. Fails with InvalidContinue when the
 * token is malformed or belongs to another list.
 */
export function decodeContinue(token: string, resource: string, namespace: string | null): ContinuePoint {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new StorageError("InvalidContinue", "continue token is not valid");
  }
  const b = body as { v?: unknown; rv?: unknown; r?: unknown; ns?: unknown; k?: unknown };
  const validKey = Array.isArray(b.k) && b.k.length === 2 && b.k.every((x) => typeof x === "string");
  if (
    b.v !== 1 ||
    !Number.isSafeInteger(b.rv) ||
    (b.rv as number) < 0 ||
    typeof b.r !== "string" ||
    !(b.ns === null || typeof b.ns === "string") ||
    !validKey
  ) {
    throw new StorageError("InvalidContinue", "continue token is not valid");
  }
  if (b.r !== resource || b.ns !== namespace) {
    throw new StorageError("InvalidContinue", "continue token belongs to a different list");
  }
  return { rv: b.rv as number, resource, namespace, after: b.k as [string, string] };
}
