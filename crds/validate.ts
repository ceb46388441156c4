// Validation of whole objects against their kind, with zod issues turned into Kubernetes field
// causes: `field` is a path like `spec.components[0].image`, `reason` a metav1 CauseType, and the
// message reads like Kubernetes' (`Unsupported value: "Sideways": supported values: ...`).
import type { z } from "zod";
import type { StatusCause } from "./errors.ts";
import type { StellaObject } from "./meta.ts";
import type { CauseReason, FieldIssueParams } from "./refinements.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The outcome of validateObject: the parsed object, or every field cause at once. */
export type ValidationResult = { ok: true; value: StellaObject } | { ok: false; causes: StatusCause[] };

/** Validates a whole object (apiVersion, kind, metadata, spec/data, status) against its kind. */
export function validateObject(info: KindInfo, obj: unknown): ValidationResult {
  const result = info.schema.safeParse(obj, { reportInput: true });
  if (result.success) return { ok: true, value: result.data as StellaObject };
  return { ok: false, causes: causesFromIssues(result.error.issues) };
}

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A zod path as Kubernetes writes field paths: `spec.components[0].image`, `metadata.labels[a/b]`. */
export function formatFieldPath(path: Path): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && IDENTIFIER.test(part)) out += out ? `.${part}` : part;
    else out += `[${String(part)}]`;
  }
  return out;
}

/** Turns zod issues into StatusCauses, one per offending field (one per unknown key). */
export function causesFromIssues(issues: readonly Issue[]): StatusCause[] {
  return issues.flatMap((issue) => causesOf(issue, issue.path));
}

const cause = (reason: CauseReason, path: Path, message: string): StatusCause => {
  const field = formatFieldPath(path);
  return field ? { reason, message, field } : { reason, message };
};

/** Values as Kubernetes shows them in messages: JSON for scalars, the type name for structures. */
function show(value: unknown): string {
  if (Array.isArray(value)) return '"array"';
  if (value !== null && typeof value === "object") return '"object"';
  if (typeof value === "string" && value.length > 100) return JSON.stringify(`${value.slice(0, 97)}...`);
  return JSON.stringify(value) ?? String(value);
}

const TYPE_NAMES: Record<string, string> = {
  int: "integer",
  number: "number",
  string: "string",
  boolean: "boolean",
  object: "object",
  array: "array",
};

const FORMAT_MESSAGES: Record<string, string> = {
  url: "must be a URL such as http://host:port",
  base64: "must be base64-encoded",
  datetime: "must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z",
};

const plural = (n: number | bigint, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function causesOf(issue: Issue, path: Path): StatusCause[] {
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => cause("FieldValueInvalid", [...path, key], `unknown field "${key}"`));
    case "invalid_type":
      if (issue.input === undefined) return [cause("FieldValueRequired", path, "Required value")];
      return [
        cause(
          "FieldValueTypeInvalid",
          path,
          `Invalid value: ${show(issue.input)}: must be of type ${TYPE_NAMES[issue.expected] ?? issue.expected}`,
        ),
      ];
    case "invalid_value": {
      const supported = issue.values.map((v) => JSON.stringify(v)).join(", ");
      return [
        cause(
          "FieldValueNotSupported",
          path,
          `Unsupported value: ${show(issue.input)}: supported values: ${supported}`,
        ),
      ];
    }
    case "too_small":
      return [tooSmall(issue, path)];
    case "too_big":
      return [tooBig(issue, path)];
    case "invalid_format": {
      const detail = FORMAT_MESSAGES[issue.format] ?? issue.message;
      return [cause("FieldValueInvalid", path, `Invalid value: ${show(issue.input)}: ${detail}`)];
    }
    case "not_multiple_of":
      return [
        cause("FieldValueInvalid", path, `Invalid value: ${show(issue.input)}: must be a multiple of ${issue.divisor}`),
      ];
    case "invalid_key": {
      const detail = issue.issues.map((inner) => inner.message).join("; ");
      return [cause("FieldValueInvalid", path, `Invalid value: ${show(issue.input)}: ${detail}`)];
    }
    case "invalid_element":
      return issue.issues.flatMap((inner) => causesOf(inner, [...path, ...inner.path]));
    case "invalid_union":
      return unionCauses(issue, path);
    case "custom": {
      const reason = (issue.params as Partial<FieldIssueParams> | undefined)?.reason;
      if (reason) return [cause(reason, path, issue.message)];
      return [cause("FieldValueInvalid", path, `Invalid value: ${show(issue.input)}: ${issue.message}`)];
    }
    default:
      return [cause("FieldValueInvalid", path, (issue as { message: string }).message)];
  }
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, path: Path): StatusCause {
  const min = issue.minimum;
  if (issue.origin === "array" || issue.origin === "set") {
    if (Array.isArray(issue.input) && issue.input.length === 0)
      return cause("FieldValueRequired", path, `Required value: must have at least ${plural(min, "item")}`);
    return cause(
      "FieldValueInvalid",
      path,
      `Invalid value: ${show(issue.input)}: must have at least ${plural(min, "item")}`,
    );
  }
  if (issue.origin === "string") {
    if (issue.input === "") return cause("FieldValueRequired", path, "Required value");
    return cause(
      "FieldValueInvalid",
      path,
      `Invalid value: ${show(issue.input)}: must be at least ${plural(min, "character")}`,
    );
  }
  const relation = issue.inclusive ? "greater than or equal to" : "greater than";
  return cause("FieldValueInvalid", path, `Invalid value: ${show(issue.input)}: must be ${relation} ${min}`);
}

function tooBig(issue: z.core.$ZodIssueTooBig, path: Path): StatusCause {
  const max = issue.maximum;
  if (issue.origin === "array" || issue.origin === "set") {
    const count = Array.isArray(issue.input) ? issue.input.length : "?";
    return cause("FieldValueTooMany", path, `Too many: ${count}: must have at most ${plural(max, "item")}`);
  }
  if (issue.origin === "string")
    return cause("FieldValueTooLong", path, `Too long: may not be more than ${plural(max, "character")}`);
  const relation = issue.inclusive ? "less than or equal to" : "less than";
  return cause("FieldValueInvalid", path, `Invalid value: ${show(issue.input)}: must be ${relation} ${max}`);
}

/** A union fails either on type (no branch takes this type) or inside the branch that took it. */
function unionCauses(issue: z.core.$ZodIssueInvalidUnion, path: Path): StatusCause[] {
  const typed = issue.errors.find(
    (branch) => !branch.every((inner) => inner.code === "invalid_type" && inner.path.length === 0),
  );
  if (typed) return typed.flatMap((inner) => causesOf(inner, [...path, ...inner.path]));
  const expected = issue.errors.flatMap((branch) =>
    branch.map((inner) => (inner.code === "invalid_type" ? (TYPE_NAMES[inner.expected] ?? inner.expected) : "")),
  );
  const types = [...new Set(expected.filter(Boolean))].join(" or ");
  return [cause("FieldValueTypeInvalid", path, `Invalid value: ${show(issue.input)}: must be of type ${types}`)];
}
