// The one place that decides whether a response may carry an object's secret content. Stella's
// roles split writing Secrets from reading them (an operator writes, only admin and controller
// read), so every answer to a request — a write's result, a dry run, a deletion, a list, a watch
// event — shows secret content only to a caller who may `get` that object; and a write by anyone
// else is computed blind (registry/blind-write.ts), so neither its result nor its errors depend on
// a value they may not see.
import { isForbidden } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { Caller, HttpDeps } from "./deps.ts";
import type { ResourcePath } from "./resource-path.ts";

/** What a response may show of objects, decided once per request. */
export interface ContentAccess {
  /** Whether the caller may read the secret content of what the request touches. */
  mayRead: boolean;
  /** The object as the caller may see it: whole, or without its secret content. */
  present(obj: StellaObject): StellaObject;
}

const whole: ContentAccess = { mayRead: true, present: (obj) => obj };

/**
 * Decides for one request: `name` is the object's (from the path or a create's body); without one
 * (lists, deletecollection) the caller must be allowed to get every object of the kind there.
 * A request across all namespaces counts only grants that hold in every namespace.
 */
export async function contentAccess(
  deps: HttpDeps,
  caller: Caller,
  path: ResourcePath,
  name: string | undefined,
): Promise<ContentAccess> {
  const { info } = path;
  if (!deps.store.hasSecretContent(info)) return whole;
  const namespace = info.namespaced ? (path.namespace ?? "") : "";
  try {
    await deps.authorize(caller, { verb: "get", resource: info.plural, namespace, name });
    return whole;
  } catch (err) {
    if (!isForbidden(err)) throw err;
    return { mayRead: false, present: (obj) => deps.store.redact(info, obj) };
  }
}
