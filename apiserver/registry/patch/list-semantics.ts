// How a list merges and is owned. Kubernetes reads this from schema markers: `listType=map` with
// `listMapKeys` makes an associative list whose items merge and are owned one by one, by key;
// anything else is atomic (replaced whole, owned as one leaf). Stella's kinds carry no markers yet,
// so a hook decides per field path; the default looks at the data (see defaultListMapKeys).
import { fieldStep, keyStep } from "./field-path.ts";
import type { FieldPath } from "./field-path.ts";
import { isPlainObject } from "./json-value.ts";

/**
 * Decides the list at `path` (object member names from the root, list items left out, e.g.
 * ["spec", "components", "ports"]): its key field names when associative, undefined when atomic.
 * `items` are all elements found at that path in every object of the operation, so the decision is
 * the same for the live object, the applied configuration and the result.
 */
export type ListMapKeys = (path: readonly string[], items: readonly unknown[]) => readonly string[] | undefined;

const SCALAR = new Set(["string", "number", "boolean"]);
const hasKeys = (items: readonly unknown[], keys: readonly string[]) =>
  items.every((item) => isPlainObject(item) && keys.every((k) => SCALAR.has(typeof item[k])));

/**
 * The default rule: a non-empty list whose items are all objects with a `name` is associative by
 * `name` (components, ports, env, analysis metrics); metadata.ownerReferences is keyed by `uid` as
 * in Kubernetes; every other list (steps, command, finalizers, selectors' values) is atomic.
 */
export const defaultListMapKeys: ListMapKeys = (path, items) => {
  if (items.length === 0) return undefined;
  if (path.length === 2 && path[0] === "metadata" && path[1] === "ownerReferences")
    return hasKeys(items, ["uid"]) ? ["uid"] : undefined;
  return hasKeys(items, ["name"]) ? ["name"] : undefined;
};

/** The list decisions of one operation: key fields by path, undefined for atomic lists. */
export type ListPlan = (path: readonly string[]) => readonly string[] | undefined;

/** Collects every list in `values` by path and asks the hook once per path; keys an item lacks make the list atomic. */
export function planLists(hook: ListMapKeys, ...values: unknown[]): ListPlan {
  const found = new Map<string, { path: string[]; items: unknown[] }>();
  const walk = (value: unknown, path: string[]) => {
    if (isPlainObject(value)) {
      for (const [name, child] of Object.entries(value)) walk(child, [...path, name]);
    } else if (Array.isArray(value)) {
      const id = JSON.stringify(path);
      const entry = found.get(id) ?? { path, items: [] };
      entry.items.push(...value);
      found.set(id, entry);
      for (const item of value) walk(item, path);
    }
  };
  for (const value of values) walk(value, []);
  const decided = new Map<string, readonly string[] | undefined>();
  for (const [id, { path, items }] of found) {
    const keys = hook(path, items);
    decided.set(id, keys && keys.length > 0 && hasKeys(items, keys) ? keys : undefined);
  }
  return (path) => decided.get(JSON.stringify(path));
}

/** The fieldsV1 step of an associative-list item. */
export function itemStep(item: unknown, keys: readonly string[]): string {
  const record = item as Record<string, unknown>;
  return keyStep(Object.fromEntries(keys.map((k) => [k, record[k]])));
}

/** The first key step that occurs twice in `list`, if any. */
export function duplicateStep(list: readonly unknown[], keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const item of list) {
    const step = itemStep(item, keys);
    if (seen.has(step)) return step;
    seen.add(step);
  }
  return undefined;
}

/**
 * The keys to merge these lists (found at one path) by, or undefined to treat them as atomic: a list with duplicate
 * keys cannot be merged per item.
 */
export function listKeys(
  plan: ListPlan,
  path: readonly string[],
  ...lists: (readonly unknown[])[]
): readonly string[] | undefined {
  const keys = plan(path);
  return keys && lists.every((l) => duplicateStep(l, keys) === undefined) ? keys : undefined;
}

/** The first associative list in `value` holding two items with one key, as field path and step. */
export function findDuplicateKey(
  value: unknown,
  plan: ListPlan,
  names: string[] = [],
  at: FieldPath = [],
): { path: FieldPath; step: string } | undefined {
  if (isPlainObject(value)) {
    for (const [name, child] of Object.entries(value)) {
      const hit = findDuplicateKey(child, plan, [...names, name], [...at, fieldStep(name)]);
      if (hit) return hit;
    }
  } else if (Array.isArray(value)) {
    const keys = plan(names);
    if (!keys) return undefined;
    const step = duplicateStep(value, keys);
    if (step) return { path: at, step };
    for (const item of value) {
      const hit = findDuplicateKey(item, plan, names, [...at, itemStep(item, keys)]);
      if (hit) return hit;
    }
  }
  return undefined;
}
