// Label selectors as in Environment.spec.targetSelector: every matchLabels pair and every
// matchExpressions requirement must hold; an empty selector matches everything.
import type { LabelSelector } from "../../crds/meta.ts";

/** Whether `labels` satisfy `selector`. */
export function matchesSelector(
  labels: Readonly<Record<string, string>> | undefined,
  selector: LabelSelector,
): boolean {
  const l = labels ?? {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(l, key);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (!has(k) || l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    const ok =
      e.operator === "In"
        ? has(e.key) && values.includes(l[e.key])
        : e.operator === "NotIn"
          ? !has(e.key) || !values.includes(l[e.key])
          : e.operator === "Exists"
            ? has(e.key)
            : !has(e.key);
    if (!ok) return false;
  }
  return true;
}
