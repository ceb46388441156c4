// metadata.managedFields decoded into managers and back. Kubernetes identifies an entry by manager
// name, operation, subresource and — for Update entries only — apiVersion; time never counts. So
// "kubectl" applying and "kubectl" updating are two managers, and one applier keeps one entry.
import type { ManagedFieldsEntry } from "../../../crds/meta.ts";
import { ManagedFieldsError } from "./errors.ts";
import { FieldSet } from "./field-set.ts";
import { isPlainObject } from "./json-value.ts";

/** One decoded managedFields entry: who wrote, how, when, and the fields it owns. */
export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

/** The identity two entries share when they are the same manager. */
export function managerId(m: Pick<Manager, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([m.manager, m.operation, m.operation === "Update" ? m.apiVersion : "", m.subresource ?? ""]);
}

/** A time as managedFields records it: RFC 3339 in UTC, whole seconds. */
export function managedTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z");
}

/** True for the request form that clears all managed fields: exactly one empty entry, `[{}]`. */
export function isResetManagedFields(entries: unknown): boolean {
  return (
    Array.isArray(entries) && entries.length === 1 && isPlainObject(entries[0]) && Object.keys(entries[0]).length === 0
  );
}

/**
 * Decodes managedFields (undefined means none) into managers by identity, merging duplicates; throws
 * ManagedFieldsError.
 */
export function decodeManagedFields(entries: unknown): Map<string, Manager> {
  const managers = new Map<string, Manager>();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) throw new ManagedFieldsError(undefined, "must be a list");
  entries.forEach((entry, i) => {
    const bad = (detail: string) => new ManagedFieldsError(i, detail);
    if (!isPlainObject(entry)) throw bad("must be an object");
    const { manager = "", operation, apiVersion = "", subresource, time, fieldsType, fieldsV1 } = entry;
    if (operation !== "Apply" && operation !== "Update") throw bad('operation must be "Apply" or "Update"');
    if (fieldsType !== "FieldsV1") throw bad('fieldsType must be "FieldsV1"');
    if (typeof manager !== "string" || typeof apiVersion !== "string")
      throw bad("manager and apiVersion must be strings");
    if (
      (subresource !== undefined && typeof subresource !== "string") ||
      (time !== undefined && typeof time !== "string")
    )
      throw bad("subresource and time must be strings");
    let fields: FieldSet;
    try {
      fields = fieldsV1 === undefined ? new FieldSet() : FieldSet.fromFieldsV1(fieldsV1);
    } catch (err) {
      throw err instanceof ManagedFieldsError ? bad(err.detail) : err;
    }
    const decoded: Manager = {
      manager,
      operation,
      apiVersion,
      fields,
      ...(subresource ? { subresource } : {}),
      ...(time ? { time } : {}),
    };
    const id = managerId(decoded);
    const seen = managers.get(id);
    managers.set(
      id,
      seen ? { ...decoded, fields: seen.fields.union(fields), time: [seen.time, decoded.time].sort().pop() } : decoded,
    );
  });
  return managers;
}

const seconds = (time: string | undefined) => (time ? Math.floor(Date.parse(time) / 1000) || 0 : 0);

function order(a: Manager, b: Manager): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const byTime = seconds(a.time) - seconds(b.time);
  if (byTime !== 0) return byTime;
  for (const k of ["manager", "apiVersion", "subresource"] as const) {
    const x = a[k] ?? "";
    const y = b[k] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Encodes managers as managedFields entries in Kubernetes order (Apply first, then by time, name, apiVersion,
 * subresource); managers owning nothing are dropped.
 */
export function encodeManagedFields(managers: Iterable<Manager>): ManagedFieldsEntry[] {
  return [...managers]
    .filter((m) => !m.fields.isEmpty())
    .sort(order)
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: "FieldsV1",
      fieldsV1: m.fields.toFieldsV1(),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
}

/** A copy of an object without metadata.managedFields: the part of it that managers own. */
export function withoutManagedFields(obj: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(obj);
  if (isPlainObject(copy.metadata)) delete copy.metadata.managedFields;
  return copy;
}
