// Secrets: stringData folds into data on every write; validation messages never echo a value; an
// immutable Secret's data cannot change; secret content (secret-content.ts) is kept from callers
// who may write Secrets but not read them. Encryption at rest is secret-at-rest.ts.
import { isDeepStrictEqual } from "node:util";
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { secretContent } from "./secret-content.ts";

type SecretLike = StellaObject & {
  data?: Record<string, string>;
  stringData?: Record<string, unknown>;
  immutable?: boolean;
};

const SECRET_FIELD = /^(data|stringData)(\.|\[|$)/;
/** The value a cause message shows: a JSON string (which may itself hold ": ") or another JSON scalar. */
const SHOWN_VALUE = /^(Invalid value|Unsupported value): ("(?:[^"\\]|\\.)*"|[^:]*): /s;

/** Secret: stringData merged into data (base64), redacted causes, immutability, secret content. */
export const secretStrategy: Strategy = {
  normalize(obj) {
    const s = obj as SecretLike;
    if (!s.stringData || typeof s.stringData !== "object" || Array.isArray(s.stringData)) return;
    const data = { ...(s.data ?? {}) };
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.stringData)) {
      if (typeof v === "string") data[k] = Buffer.from(v, "utf8").toString("base64");
      else rest[k] = v; // left for validation to refuse by name (stringData.KEY), never dropped silently
    }
    s.data = data;
    if (Object.keys(rest).length > 0) s.stringData = rest;
    else delete s.stringData;
  },
  redact(causes) {
    return causes.map((c) =>
      c.field && SECRET_FIELD.test(c.field) ? { ...c, message: c.message.replace(SHOWN_VALUE, "$1: <redacted>: ") } : c,
    );
  },
  validateUpdate(next, old) {
    const n = next as SecretLike;
    const o = old as SecretLike;
    if (!o.immutable) return [];
    const causes = [];
    if (!isDeepStrictEqual(n.data, o.data))
      causes.push({
        reason: "FieldValueForbidden",
        field: "data",
        message: "field is immutable when `immutable` is set",
      });
    if (n.immutable !== true)
      causes.push({
        reason: "FieldValueForbidden",
        field: "immutable",
        message: "field is immutable when `immutable` is set",
      });
    return causes;
  },
  content: secretContent,
};
