// The objects related to one object, read from the server: its owners, what it owns, what it
// names (references and selectors), and what names it. Kinds the caller may not list are
// skipped quietly: describe shows what it can see.
import { isForbidden } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { kinds } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Client } from "../../sdk/client.ts";
import { matchesSelector, referencesOf, selectorsOf } from "./references.ts";

/** A related object and how it relates, e.g. `spec.environment`. */
export interface Relation {
  kind: string;
  name: string;
  via: string;
}

/** Every relation of one object. */
export interface Related {
  ownedBy: Relation[];
  owns: Relation[];
  references: Relation[];
  selects: Relation[];
  referencedBy: Relation[];
}

/** Lists the namespace once per kind (cached by the caller across several described objects). */
export type NamespaceLister = (info: KindInfo, namespace: string) => Promise<StellaObject[]>;

/** A lister that reads each kind of each namespace once and skips what it may not read. */
export function cachedLister(client: Client): NamespaceLister {
  const cache = new Map<string, Promise<StellaObject[]>>();
  return (info, namespace) => {
    const key = `${info.plural}/${namespace}`;
    let p = cache.get(key);
    if (!p) {
      p = client
        .resource(info)
        .listAll({ namespace })
        .then(
          (r) => r.items,
          (err: unknown) => {
            if (isForbidden(err)) return [];
            throw err;
          },
        );
      cache.set(key, p);
    }
    return p;
  };
}

/** The relations of `obj`, found among the objects of its namespace. */
export async function relatedTo(obj: StellaObject, info: KindInfo, list: NamespaceLister): Promise<Related> {
  const ns = obj.metadata.namespace;
  const related: Related = {
    ownedBy: (obj.metadata.ownerReferences ?? []).map((o) => ({
      kind: o.kind,
      name: o.name,
      via: o.controller ? "controller" : "owner",
    })),
    owns: [],
    references: referencesOf(obj).map((r) => ({ kind: r.info.kind, name: r.name, via: r.field })),
    selects: [],
    referencedBy: [],
  };
  if (!ns || !info.namespaced) return related;
  for (const s of selectorsOf(obj)) {
    for (const o of await list(s.info, ns))
      if (matchesSelector(o.metadata.labels, s.selector))
        related.selects.push({ kind: s.info.kind, name: o.metadata.name!, via: s.field });
  }
  for (const k of kinds.filter((x) => x.namespaced && x.kind !== "Lease" && x.kind !== "Event")) {
    for (const o of await list(k, ns)) {
      if (o.metadata.uid === obj.metadata.uid) continue;
      if ((o.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid))
        related.owns.push({ kind: k.kind, name: o.metadata.name!, via: "ownerReference" });
      for (const r of referencesOf(o))
        if (r.info === info && r.name === obj.metadata.name)
          related.referencedBy.push({ kind: k.kind, name: o.metadata.name!, via: r.field });
    }
  }
  return related;
}
