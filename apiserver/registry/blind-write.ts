// A write by a caller who may not read the object's secret content is evaluated "blind": against a
// view in which every secret value is an opaque random token. So nothing the write computes can
// depend on a value the caller may not see — a JSON-patch `test` of a value fails whatever the guess,
// writing the stored value again still counts as a change (no no-op oracle), an apply conflicts on
// a field another manager owns whether or not the value is equal, an immutable Secret refuses a
// right guess like a wrong one. Tokens are valid base64, so the view passes validation as the real
// object would. Just before the write, tokens are swapped back for the stored values; a token that
// was copied anywhere its group does not reach (data into a label) is refused, naming the field.
import { randomBytes } from "node:crypto";
import { invalid } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { formatFieldPath } from "../../crds/validate.ts";
import { errorTarget } from "./keys.ts";
import { clone } from "./object-meta.ts";
import type { SecretContent, SecretSlot } from "./strategy.ts";

/** The blind view of an object and the way back to stored values. */
export interface BlindView {
  /** The object with each secret value replaced by its token. */
  object: StellaObject;
  /**
   * `next` (computed from `object`) with tokens replaced by the values they stand for; throws 422 for a misplaced
   * token.
   */
  restore(next: StellaObject): StellaObject;
}

/** 18 random bytes: 24 base64 characters without padding, unguessable and valid wherever data is. */
const token = () => randomBytes(18).toString("base64");

/** Builds the blind view of `obj` for a write of `info`. */
export function blindView(info: KindInfo, content: SecretContent, obj: StellaObject): BlindView {
  const view = clone(obj);
  const tokens = new Map<string, SecretSlot>();
  for (const slot of content.slots(obj)) {
    const t = token();
    tokens.set(t, slot);
    setAt(view, slot.path, t);
  }
  return {
    object: view,
    restore(next) {
      const out = clone(next);
      visitStrings(out, [], (path, value, set) => {
        const slot = tokens.get(value);
        if (!slot) return;
        if (!content.accepts(slot.group, path)) {
          const cause = {
            reason: "FieldValueForbidden",
            field: formatFieldPath(path),
            message: "may not hold a value copied from secret content",
          };
          throw invalid(errorTarget(info, obj.metadata.name), [cause]);
        }
        set(slot.value);
      });
      return out;
    },
  };
}

function setAt(obj: unknown, path: readonly string[], value: string): void {
  let node = obj as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

/** Calls `fn` for every string in a JSON value, with its path and a setter. */
function visitStrings(
  node: unknown,
  path: string[],
  fn: (path: string[], value: string, set: (v: string) => void) => void,
): void {
  if (node === null || typeof node !== "object") return;
  const container = node as Record<string, unknown>;
  for (const key of Object.keys(container)) {
    const value = container[key];
    if (typeof value === "string") fn([...path, key], value, (s) => (container[key] = s));
    else visitStrings(value, [...path, key], fn);
  }
}
