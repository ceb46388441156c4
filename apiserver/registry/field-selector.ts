// Field selectors (`?fieldSelector=metadata.name=x,spec.environment!=prod`): only `=`, `==` and
// `!=` on metadata.name, metadata.namespace and the fields a kind declares selectable.
import { badRequest } from "../../crds/errors.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";

/** One parsed term: a dotted field path, equality or inequality, a value. */
export interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

const ALWAYS = ["metadata.name", "metadata.namespace"];

/** Parses a field selector, refusing fields the kind does not support with a 400 naming them. */
export function parseFieldSelector(input: string | undefined, info: KindInfo): FieldRequirement[] {
  if (!input || input.trim() === "") return [];
  return input.split(",").map((term) => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m)
      throw badRequest(`invalid field selector "${term}": expected field=value or field!=value`, [
        { reason: "FieldValueInvalid", message: `invalid term "${term}"`, field: "fieldSelector" },
      ]);
    const field = m[1];
    if (!ALWAYS.includes(field) && !info.selectableFields.includes(field)) {
      const supported = [...ALWAYS, ...info.selectableFields].join(", ");
      throw badRequest(`field label not supported: "${field}" (supported for ${info.plural}: ${supported})`, [
        { reason: "FieldValueNotSupported", message: `field label not supported: ${field}`, field: "fieldSelector" },
      ]);
    }
    // A label may read another path (core Event `source` is source.component), as Kubernetes'
    // field label conversions do.
    return { field: info.fieldLabels?.[field] ?? field, negate: m[2] === "!=", value: m[3] };
  });
}

/** Reads a dotted path out of an object; non-scalar or missing values read as "". */
export function readField(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === "string" || typeof cur === "number" || typeof cur === "boolean" ? String(cur) : "";
}

/** Builds a predicate that every requirement must satisfy. */
export function fieldMatcher(reqs: FieldRequirement[]): (obj: unknown) => boolean {
  return (obj) => reqs.every((r) => (readField(obj, r.field) === r.value) !== r.negate);
}
