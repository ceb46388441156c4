// Mapping an object that changed to the requests it should wake: itself or its controlling owner.
// Any function of the same type works too (e.g. every Environment selecting a changed Target).
import type { StellaObject } from "../../crds/meta.ts";
import { groupOf } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Request } from "./reconciler.ts";

/** The requests a changed object wakes. */
export type EventMapper<T extends StellaObject = StellaObject> = (obj: T) => Request[];

/** The object itself. */
export function enqueueObject<T extends StellaObject>(): EventMapper<T> {
  return (obj) => [{ namespace: obj.metadata.namespace ?? "", name: obj.metadata.name ?? "" }];
}

/**
 * The owner of kind `owner` named in the object's ownerReferences — only the controlling owner
 * (`controller: true`) unless `onlyController` is false. Owners live in the object's namespace,
 * or are cluster-scoped.
 */
export function enqueueOwner<T extends StellaObject>(
  owner: KindInfo,
  opts: { onlyController?: boolean } = {},
): EventMapper<T> {
  const onlyController = opts.onlyController ?? true;
  const group = groupOf(owner);
  return (obj) =>
    (obj.metadata.ownerReferences ?? [])
      .filter(
        (ref) =>
          ref.kind === owner.kind &&
          groupOfApiVersion(ref.apiVersion) === group &&
          (!onlyController || ref.controller === true),
      )
      .map((ref) => ({ namespace: owner.namespaced ? (obj.metadata.namespace ?? "") : "", name: ref.name }));
}

const groupOfApiVersion = (apiVersion: string): string =>
  apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
