// kubectl wait's --for: condition=TYPE[=VALUE], delete, create, jsonpath=EXPR[=VALUE]; and how
// an object (or its absence) measures up, with a short description for progress and timeouts.
import type { Condition, StellaObject } from "../../crds/meta.ts";
import { UsageError } from "../command.ts";
import { evaluatePath } from "../output/jsonpath.ts";

/** A parsed --for. */
export type WaitFor =
  | { kind: "condition"; type: string; value: string }
  | { kind: "delete" }
  | { kind: "create" }
  | { kind: "jsonpath"; path: string; value?: string };

/** Where an object stands: whether the wait is over, and its state in a few words. */
export interface Verdict {
  met: boolean;
  state: string;
}

/** Parses --for. */
export function parseWaitFor(spec: string): WaitFor {
  if (spec === "delete") return { kind: "delete" };
  if (spec === "create") return { kind: "create" };
  const cond = /^condition=([^=]+)(?:=(.*))?$/.exec(spec);
  if (cond) return { kind: "condition", type: cond[1], value: cond[2] ?? "True" };
  const jp = /^jsonpath=(.+)$/.exec(spec);
  if (jp) {
    // `{.status.phase}=Ready`, `.status.phase=Ready`, or just the expression (wait for it to exist).
    const m = /^\{([^}]*)\}(?:=(.*))?$/.exec(jp[1]) ?? /^([^=]+)(?:=(.*))?$/.exec(jp[1]);
    if (m && m[1].trim()) return { kind: "jsonpath", path: m[1].trim(), value: m[2] };
  }
  throw new UsageError(
    `--for must be condition=TYPE[=VALUE], delete, create or jsonpath='{EXPR}'[=VALUE], not "${spec}"`,
  );
}

const conditionsOf = (obj: StellaObject): Condition[] => {
  const c = (obj.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
};

/** How `obj` (undefined: it does not exist) measures up to `w`. `uid`: for delete, the object that must go. */
export function judge(w: WaitFor, obj: StellaObject | undefined, uid?: string): Verdict {
  if (w.kind === "delete") {
    if (!obj || (uid && obj.metadata.uid !== uid)) return { met: true, state: "deleted" };
    const finalizers = obj.metadata.finalizers ?? [];
    const held = finalizers.length ? ` (finalizers: ${finalizers.join(", ")})` : "";
    return { met: false, state: obj.metadata.deletionTimestamp ? `being deleted${held}` : `exists${held}` };
  }
  if (!obj) return { met: false, state: "not found" };
  if (w.kind === "create") return { met: true, state: "exists" };
  if (w.kind === "jsonpath") {
    const found = evaluatePath(obj, w.path.startsWith(".") || w.path.startsWith("$") ? w.path : `.${w.path}`).filter(
      (v) => v !== undefined,
    );
    const text = found.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ");
    if (w.value === undefined)
      return { met: found.length > 0, state: found.length ? `{${w.path}} is "${text}"` : `{${w.path}} is not set` };
    return {
      met: found.length === 1 && text === w.value,
      state: found.length ? `{${w.path}} is "${text}"` : `{${w.path}} is not set`,
    };
  }
  const c = conditionsOf(obj).find((x) => x.type.toLowerCase() === w.type.toLowerCase());
  if (!c) return { met: false, state: `no ${w.type} condition yet` };
  const why = [c.reason, c.message].filter(Boolean).join(": ");
  const state = `${c.type}=${c.status}${why ? ` (${why})` : ""}`;
  const generation = obj.metadata.generation;
  // A condition about an older generation says nothing about the current spec (kubectl checks this too).
  if (c.observedGeneration !== undefined && generation !== undefined && c.observedGeneration < generation)
    return { met: false, state: `${state}, observed generation ${c.observedGeneration} < ${generation}` };
  return { met: c.status.toLowerCase() === w.value.toLowerCase(), state };
}
