// The fields an object sets, as server-side apply records them for its applier (typed.ToFieldSet
// in Kubernetes): every leaf — scalar, null, atomic list — and every associative-list item with its
// fields. Objects are containers, not members: applying `spec: {replicas: 3}` owns only
// .spec.replicas; an empty object owns nothing.
import { FieldSet } from "./field-set.ts";
import { fieldStep } from "./field-path.ts";
import type { FieldPath } from "./field-path.ts";
import { isPlainObject } from "./json-value.ts";
import { defaultListMapKeys, itemStep, listKeys, planLists } from "./list-semantics.ts";
import type { ListMapKeys, ListPlan } from "./list-semantics.ts";

/** The set of fields `obj` sets, in managedFields form (`fieldSet(x).toFieldsV1()` gives the fieldsV1 JSON). */
export function fieldSet(obj: unknown, opts: { listMapKeys?: ListMapKeys } = {}): FieldSet {
  return fieldSetFor(obj, planLists(opts.listMapKeys ?? defaultListMapKeys, obj));
}

/** fieldSet with the list decisions of an operation already made. */
export function fieldSetFor(obj: unknown, plan: ListPlan): FieldSet {
  const set = new FieldSet();
  const member = (value: unknown, names: string[], at: FieldPath): void => {
    if (value === undefined) return;
    if (isPlainObject(value)) return members(value, names, at);
    const keys = Array.isArray(value) ? listKeys(plan, names, value) : undefined;
    if (!keys) return void set.insert(at);
    for (const item of value as unknown[]) {
      const itemAt = [...at, itemStep(item, keys)];
      set.insert(itemAt);
      members(item as Record<string, unknown>, names, itemAt);
    }
  };
  const members = (obj: Record<string, unknown>, names: string[], at: FieldPath): void => {
    for (const [name, value] of Object.entries(obj)) member(value, [...names, name], [...at, fieldStep(name)]);
  };
  if (isPlainObject(obj)) members(obj, [], []);
  return set;
}
