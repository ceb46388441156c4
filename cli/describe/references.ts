// Which objects an object names, found from field names alone so every kind (and later ones)
// is covered: a string field named after a kind (`spec.release`, `status.previousRelease`),
// a list named after a kind's plural (`targets`) or `upstream` (environments), `{name}` objects
// named after a kind (`spec.agent.name`) or ending in SecretRef, and `*Selector` label selectors.
import type { LabelSelector } from "../../crds/meta.ts";
import { kinds } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";

/** A reference from one object to another in its namespace. */
export interface Reference {
  info: KindInfo;
  name: string;
  /** Where: e.g. `spec.environment`. */
  field: string;
}

/** A label selector in a field, and the kind it selects (e.g. `spec.targetSelector` selects targets). */
export interface SelectorReference {
  info: KindInfo;
  selector: LabelSelector;
  field: string;
}

const bySingular = (word: string) => kinds.find((k) => k.namespaced && k.singular === word.toLowerCase());
const byPlural = (word: string) => kinds.find((k) => k.namespaced && k.plural === word.toLowerCase());

/** The kind a field name refers to: `release`, `previousRelease`, `privateKeySecretRef`. */
function kindOfKey(key: string): KindInfo | undefined {
  if (/SecretRef$|SecretKeyRef$|^secretRef$/.test(key)) return bySingular("secret");
  const last = /([A-Z][a-z]+)$/.exec(key)?.[1] ?? key;
  return bySingular(key) ?? bySingular(last);
}

/** Every object `obj`'s spec and status name (conditions excluded). */
export function referencesOf(obj: { spec?: unknown; status?: unknown }): Reference[] {
  const out: Reference[] = [];
  const walk = (v: unknown, field: string, key: string, depth: number) => {
    if (depth > 6 || v === null || v === undefined) return;
    if (typeof v === "string") {
      const info = kindOfKey(key);
      if (info && v) out.push({ info, name: v, field });
      return;
    }
    if (Array.isArray(v)) {
      const info = key === "upstream" ? bySingular("environment") : byPlural(key);
      v.forEach((item, i) => {
        if (typeof item === "string" && info) out.push({ info, name: item, field: `${field}[${i}]` });
        else walk(item, `${field}[${i}]`, key, depth + 1);
      });
      return;
    }
    if (typeof v !== "object" || key === "conditions") return;
    const o = v as Record<string, unknown>;
    const info = kindOfKey(key);
    if (
      info &&
      typeof o.name === "string" &&
      Object.keys(o).every((k) => k === "name" || k === "key" || k === "namespace")
    ) {
      out.push({ info, name: o.name, field: `${field}.name` });
      return;
    }
    for (const [k, child] of Object.entries(o))
      if (k !== "conditions") walk(child, field ? `${field}.${k}` : k, k, depth + 1);
  };
  walk(obj.spec, "spec", "spec", 0);
  walk(obj.status, "status", "status", 0);
  return dedupe(out);
}

function dedupe(refs: Reference[]): Reference[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.info.kind}/${r.name}/${r.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The label selectors in `spec` (fields named `<singular>Selector`). */
export function selectorsOf(obj: { spec?: unknown }): SelectorReference[] {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const out: SelectorReference[] = [];
  for (const [k, v] of Object.entries(spec)) {
    const m = /^(.+)Selector$/.exec(k);
    const info = m && bySingular(m[1]);
    if (info && v && typeof v === "object") out.push({ info, selector: v as LabelSelector, field: `spec.${k}` });
  }
  return out;
}

/** Whether `labels` match a label selector (matchLabels and matchExpressions, all must hold). */
export function matchesSelector(labels: Record<string, string> | undefined, selector: LabelSelector): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in l;
    const values = e.values ?? [];
    if (e.operator === "In" && !(has && values.includes(l[e.key]))) return false;
    if (e.operator === "NotIn" && has && values.includes(l[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
