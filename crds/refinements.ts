// Field errors raised by cross-field rules (superRefine), in the Kubernetes field.Error form.
// Each issue carries its cause reason in `params.reason`, so validateObject can report it as is.
import type { z } from "zod";

/** The StatusCause reasons Stella reports for invalid fields (metav1.CauseType values). */
export type CauseReason =
  | "FieldValueInvalid"
  | "FieldValueRequired"
  | "FieldValueNotSupported"
  | "FieldValueTypeInvalid"
  | "FieldValueForbidden"
  | "FieldValueDuplicate"
  | "FieldValueNotFound"
  | "FieldValueTooLong"
  | "FieldValueTooMany";

/** What a refinement issue carries in `params` for validateObject. */
export interface FieldIssueParams {
  reason: CauseReason;
}

type Ctx = z.core.$RefinementCtx<unknown>;
type Path = PropertyKey[];

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Adds an issue at `path` (relative to the refined schema) with a reason and a finished message. */
export function addFieldIssue(ctx: Ctx, path: Path, reason: CauseReason, message: string): void {
  const params: FieldIssueParams = { reason };
  ctx.addIssue({ code: "custom", path, message, params });
}

/** `Required value: <detail>`: a field that must be set (often because of another field). */
export const requireField = (ctx: Ctx, path: Path, detail: string) =>
  addFieldIssue(ctx, path, "FieldValueRequired", `Required value: ${detail}`);

/** `Forbidden: <detail>`: a field that may not be set in this combination. */
export const forbidField = (ctx: Ctx, path: Path, detail: string) =>
  addFieldIssue(ctx, path, "FieldValueForbidden", `Forbidden: ${detail}`);

/** `Duplicate value: <value>`: a value that must be unique within its list. */
export const duplicateValue = (ctx: Ctx, path: Path, value: unknown) =>
  addFieldIssue(ctx, path, "FieldValueDuplicate", `Duplicate value: ${show(value)}`);

/** `Invalid value: <value>: <detail>`. */
export const invalidValue = (ctx: Ctx, path: Path, value: unknown, detail: string) =>
  addFieldIssue(ctx, path, "FieldValueInvalid", `Invalid value: ${show(value)}: ${detail}`);

/** `Not found: <value>: <detail>`: a reference to something the object does not define. */
export const valueNotFound = (ctx: Ctx, path: Path, value: unknown, detail: string) =>
  addFieldIssue(ctx, path, "FieldValueNotFound", `Not found: ${show(value)}: ${detail}`);

/** Reports every repeat of `items[i][key]` as a Duplicate at `path[i].key`; the first stays valid. */
export function requireUnique<T extends object>(
  ctx: Ctx,
  items: readonly T[] | undefined,
  key: keyof T & string,
  path: Path,
): void {
  const seen = new Set<unknown>();
  (items ?? []).forEach((item, i) => {
    const value = item[key];
    if (value === undefined) return;
    if (seen.has(value)) duplicateValue(ctx, [...path, i, key], value);
    seen.add(value);
  });
}

/** Reports every repeat in a list of scalars as a Duplicate at `path[i]`. */
export function requireUniqueValues(ctx: Ctx, values: readonly unknown[] | undefined, path: Path): void {
  const seen = new Set<unknown>();
  (values ?? []).forEach((value, i) => {
    if (seen.has(value)) duplicateValue(ctx, [...path, i], value);
    seen.add(value);
  });
}

/** Requires exactly one of `keys` to be set on `value`; names the fields in the error. */
export function requireExactlyOne(ctx: Ctx, value: Record<string, unknown>, keys: readonly string[], path: Path): void {
  const set = keys.filter((k) => value[k] !== undefined);
  if (set.length === 0) requireField(ctx, path, `exactly one of ${keys.join(", ")} must be set`);
  for (const extra of set.slice(1)) forbidField(ctx, [...path, extra], `may not be set together with ${set[0]}`);
}
