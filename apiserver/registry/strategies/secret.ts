// Secrets: stringData folds into data on every write; values are sealed (AES-256-GCM) before
// they reach storage and opened after; validation messages never echo a value; an immutable
// Secret's data cannot change.
import { isDeepStrictEqual } from "node:util";
import type { StellaObject } from "../../../crds/meta.ts";
import type { SecretCipher } from "../../secrets/cipher.ts";
import type { Strategy, StorageTransform } from "../strategy.ts";

/** The stored field that holds the sealed data; clients never see it. */
export const SEALED_FIELD = "sealedData";

type SecretLike = StellaObject & { data?: Record<string, string>; stringData?: Record<string, string>; immutable?: boolean; [SEALED_FIELD]?: string };

/** Secret: stringData merged into data (base64), redacted causes, immutability. */
export const secretStrategy: Strategy = {
  normalize(obj) {
    const s = obj as SecretLike;
    if (s.stringData && typeof s.stringData === "object") {
      const data = { ...(s.data ?? {}) };
      for (const [k, v] of Object.entries(s.stringData)) if (typeof v === "string") data[k] = Buffer.from(v, "utf8").toString("base64");
      s.data = data;
      delete s.stringData;
    }
  },
  redact(causes) {
    return causes.map((c) =>
      c.field && /^(data|stringData)(\.|\[|$)/.test(c.field) ? { ...c, message: c.message.replace(/^(Invalid value|Unsupported value): .*?: /s, "$1: <redacted>: ") } : c,
    );
  },
  validateUpdate(next, old) {
    const n = next as SecretLike;
    const o = old as SecretLike;
    if (!o.immutable) return [];
    const causes = [];
    if (!isDeepStrictEqual(n.data, o.data)) causes.push({ reason: "FieldValueForbidden", field: "data", message: "field is immutable when `immutable` is set" });
    if (n.immutable !== true) causes.push({ reason: "FieldValueForbidden", field: "immutable", message: "field is immutable when `immutable` is set" });
    return causes;
  },
};

/** Seals data on the way to storage and opens it on the way back. */
export function secretTransform(cipher: SecretCipher): StorageTransform {
  return {
    encode(obj) {
      const { data, ...rest } = obj as SecretLike;
      return { ...rest, [SEALED_FIELD]: cipher.seal(Buffer.from(JSON.stringify(data ?? {}))) } as StellaObject;
    },
    decode(obj) {
      const { [SEALED_FIELD]: sealed, ...rest } = obj as SecretLike;
      if (sealed === undefined) return obj;
      const data = JSON.parse(cipher.open(sealed).toString("utf8")) as Record<string, string>;
      return (Object.keys(data).length > 0 ? { ...rest, data } : rest) as StellaObject;
    },
  };
}
