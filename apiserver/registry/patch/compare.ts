// What changed between two versions of an object, field by field (typed.Compare in Kubernetes).
// Leaves (scalars, atomic lists, type changes) are `modified` when their values differ. A node only
// one side has — a member, an object, an associative-list item — is `added` or `removed` together
// with everything beneath it. This decides who gains and who loses ownership on every write.
import { FieldSet } from "./field-set.ts";
import { fieldStep } from "./field-path.ts";
import type { FieldPath } from "./field-path.ts";
import { deepEqual, isPlainObject, ownMember } from "./json-value.ts";
import { itemStep, listKeys } from "./list-semantics.ts";
import type { ListPlan } from "./list-semantics.ts";

/** The fields one write added, modified and removed. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Compares two objects (either may be undefined: a create or a delete) under the operation's list plan. */
export function compareObjects(before: unknown, after: unknown, plan: ListPlan): Comparison {
  const result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };

  /** Marks `value` and everything beneath it. */
  const mark = (set: FieldSet, value: unknown, names: string[], at: FieldPath, self = true): void => {
    if (self) set.insert(at);
    if (isPlainObject(value)) {
      for (const [name, child] of Object.entries(value))
        if (child !== undefined) mark(set, child, [...names, name], [...at, fieldStep(name)]);
    } else if (Array.isArray(value)) {
      const keys = listKeys(plan, names, value);
      if (keys) for (const item of value) mark(set, item, names, [...at, itemStep(item, keys)]);
    }
  };

  const walk = (l: unknown, r: unknown, names: string[], at: FieldPath): void => {
    if (l === undefined && r === undefined) return;
    if (l === undefined) return mark(result.added, r, names, at);
    if (r === undefined) return mark(result.removed, l, names, at);
    if (isPlainObject(l) && isPlainObject(r)) {
      for (const name of new Set([...Object.keys(l), ...Object.keys(r)]))
        walk(ownMember(l, name), ownMember(r, name), [...names, name], [...at, fieldStep(name)]);
      return;
    }
    const keys = Array.isArray(l) && Array.isArray(r) ? listKeys(plan, names, l, r) : undefined;
    if (keys) {
      const left = new Map((l as unknown[]).map((item) => [itemStep(item, keys), item]));
      const right = new Map((r as unknown[]).map((item) => [itemStep(item, keys), item]));
      for (const step of new Set([...left.keys(), ...right.keys()]))
        walk(left.get(step), right.get(step), names, [...at, step]);
      return;
    }
    if (deepEqual(l, r)) return;
    result.modified.insert(at);
    // A value that changed kind (object to scalar, say) also drops or gains what lay beneath it.
    mark(result.removed, l, names, at, false);
    mark(result.added, r, names, at, false);
  };

  walk(before ?? {}, after ?? {}, [], []);
  return result;
}
