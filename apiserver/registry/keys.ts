// How the registry names things: storage keys and the targets of error messages.
import type { ErrorTarget } from "../../crds/errors.ts";
import { groupOf } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { ObjectKey } from "../storage/types.ts";

/** The storage key of an object; cluster-scoped kinds use the empty namespace. */
export function storageKey(info: KindInfo, namespace: string | undefined, name: string): ObjectKey {
  return { resource: info.plural, namespace: info.namespaced ? (namespace ?? "") : "", name };
}

/** What an error is about, for NotFound/Conflict/Invalid messages. */
export function errorTarget(info: KindInfo, name?: string): ErrorTarget {
  return { group: groupOf(info), kind: info.kind, plural: info.plural, name };
}
