// Merging an apply configuration into the live object (typed.Merge in Kubernetes): objects merge
// member by member, associative lists item by item (by key), and everything else — scalars,
// atomic lists, a value of another kind — is replaced by the configuration's value.
import { cloneJson, isPlainObject, ownMember, setMember } from "./json-value.ts";
import { itemStep, listKeys } from "./list-semantics.ts";
import type { ListPlan } from "./list-semantics.ts";

/** The live object with the configuration merged in; neither input is mutated. */
export function mergeApplied(live: unknown, config: unknown, plan: ListPlan, names: string[] = []): unknown {
  if (config === undefined) return cloneJson(live);
  if (isPlainObject(live) && isPlainObject(config)) {
    const out: Record<string, unknown> = cloneJson(live);
    for (const [name, value] of Object.entries(config)) {
      if (value !== undefined) setMember(out, name, mergeApplied(ownMember(live, name), value, plan, [...names, name]));
    }
    return out;
  }
  const keys = Array.isArray(live) && Array.isArray(config) ? listKeys(plan, names, live, config) : undefined;
  if (keys) return mergeItems(live as unknown[], config as unknown[], keys, plan, names);
  return cloneJson(config);
}

/**
 * Merges two associative lists. Items only the live list has keep their place; items both have
 * follow the configuration's order (each such live slot takes the configuration's next shared
 * item); items only the configuration has come right after the configuration item before them.
 */
function mergeItems(
  live: unknown[],
  config: unknown[],
  keys: readonly string[],
  plan: ListPlan,
  names: string[],
): unknown[] {
  const liveByStep = new Map(live.map((item) => [itemStep(item, keys), item]));
  const configSteps = new Set(config.map((item) => itemStep(item, keys)));
  const out: unknown[] = [];
  let next = 0;
  const takeConfig = () => {
    const item = config[next++];
    const step = itemStep(item, keys);
    out.push(mergeApplied(liveByStep.get(step), item, plan, names));
    return liveByStep.has(step);
  };
  for (const item of live) {
    if (!configSteps.has(itemStep(item, keys))) {
      out.push(cloneJson(item));
      continue;
    }
    while (next < config.length && !takeConfig());
  }
  while (next < config.length) takeConfig();
  return out;
}

/** A copy of `value` without object members whose value is null: an apply configuration's null unsets the field. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}
