// Removing the fields an applier stopped applying (Updater.prune in Kubernetes): a field the
// manager owned last time and leaves out now is deleted, unless some manager still owns it or
// something beneath it. An object or list that only held removed fields goes too; a kept list item
// keeps its key fields, since they identify it.
import { FieldSet } from "./field-set.ts";
import { fieldStep } from "./field-path.ts";
import { cloneJson, isPlainObject } from "./json-value.ts";
import { itemStep, listKeys } from "./list-semantics.ts";
import type { ListPlan } from "./list-semantics.ts";

/** A copy of `obj` without the fields in `remove` that nothing in `keep` claims. */
export function pruneFields(
  obj: Record<string, unknown>,
  remove: FieldSet,
  keep: FieldSet,
  plan: ListPlan,
): Record<string, unknown> {
  return pruneObject(cloneJson(obj), remove, keep, plan, []);
}

const claimed = (keep: FieldSet | undefined) => keep !== undefined && !keep.isEmpty();
const isEmptyContainer = (v: unknown) =>
  Array.isArray(v) ? v.length === 0 : isPlainObject(v) && Object.keys(v).length === 0;

function pruneObject(
  obj: Record<string, unknown>,
  remove: FieldSet,
  keep: FieldSet | undefined,
  plan: ListPlan,
  names: string[],
) {
  for (const name of Object.keys(obj)) {
    const step = fieldStep(name);
    const rm = remove.child(step);
    if (!rm) continue;
    const kp = keep?.child(step);
    if (rm.member && !claimed(kp)) {
      delete obj[name];
      continue;
    }
    const value = obj[name];
    const wasEmpty = isEmptyContainer(value);
    obj[name] = pruneValue(value, rm, kp, plan, [...names, name]);
    if (!wasEmpty && isEmptyContainer(obj[name]) && !kp?.member) delete obj[name];
  }
  return obj;
}

function pruneValue(
  value: unknown,
  remove: FieldSet,
  keep: FieldSet | undefined,
  plan: ListPlan,
  names: string[],
): unknown {
  if (isPlainObject(value)) return pruneObject(value, remove, keep, plan, names);
  if (!Array.isArray(value)) return value;
  const keys = listKeys(plan, names, value);
  if (!keys) return value;
  const out: unknown[] = [];
  for (const item of value) {
    const step = itemStep(item, keys);
    const rm = remove.child(step);
    const kp = keep?.child(step);
    if (!rm) out.push(item);
    else if (rm.member && !claimed(kp)) continue;
    else
      out.push(
        pruneObject(
          item as Record<string, unknown>,
          rm.difference(FieldSet.of(keys.map((k) => [fieldStep(k)]))),
          kp,
          plan,
          names,
        ),
      );
  }
  return out;
}
