// Conditions as the Kubernetes API conventions keep them: one per type, lastTransitionTime moves
// only when the status flips, so a condition that stays False across retries does not flap.
import type { Condition } from "../../crds/meta.ts";

/** A condition to set; lastTransitionTime is managed here. */
export type ConditionUpdate = Omit<Condition, "lastTransitionTime">;

/** The condition of `type`, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** `conditions` with `update` in place of its type; keeps lastTransitionTime unless the status changed. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === update.type);
  const previous = i < 0 ? undefined : list[i];
  const lastTransitionTime =
    previous && previous.status === update.status && previous.lastTransitionTime ? previous.lastTransitionTime : now;
  const next: Condition = { ...update, lastTransitionTime };
  if (i < 0) list.push(next);
  else list[i] = next;
  return list;
}

/** `conditions` without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Whether the condition of `type` is True. */
export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}
