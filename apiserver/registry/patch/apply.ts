// Server-side apply (Updater.Apply in Kubernetes). The configuration is merged into the live
// object; the applier then owns exactly the fields it sent; fields it owned last time and left out
// are removed unless another manager owns them; and a field whose value the apply changes while
// another manager owns it is a conflict — unless `force`, which moves the ownership to the applier.
import type { ManagedFieldsEntry, StellaObject } from "../../../crds/meta.ts";
import { compareObjects } from "./compare.ts";
import { dropNulls, mergeApplied } from "./apply-merge.ts";
import { ApplyConflictError, ApplyInputError } from "./errors.ts";
import type { FieldConflict } from "./errors.ts";
import { describePath } from "./field-path.ts";
import type { FieldSet } from "./field-set.ts";
import { cloneJson, deepEqual, isPlainObject } from "./json-value.ts";
import { defaultListMapKeys, findDuplicateKey, planLists } from "./list-semantics.ts";
import type { ListMapKeys, ListPlan } from "./list-semantics.ts";
import { decodeManagedFields, encodeManagedFields, managedTime, managerId, withoutManagedFields } from "./managers.ts";
import type { Manager } from "./managers.ts";
import { dottedPaths, excludedFields, ownable, withoutFields } from "./ownership.ts";
import { pruneFields } from "./prune.ts";
import { fieldSetFor } from "./to-field-set.ts";

export { ApplyConflictError } from "./errors.ts";

/** Manager name Kubernetes gives the fields of an object that had no managedFields before its first apply. */
export const BEFORE_FIRST_APPLY = "before-first-apply";

/** One server-side apply request. */
export interface ApplyRequest {
  /** The stored object, or undefined when the apply creates it. */
  live: StellaObject | undefined;
  /** The apply configuration as parsed from the request: only the fields the applier has an opinion on. */
  applied: StellaObject;
  /** The fieldManager of the request. */
  manager: string;
  /** Take ownership of conflicting fields instead of failing. */
  force?: boolean;
  now: Date;
  /** "status" when applying to the status subresource. */
  subresource?: string;
  /** Dotted member paths (e.g. "status") neither taken from the configuration nor owned; live values stay. */
  ignorePaths?: readonly string[];
  /** How lists merge, per path; defaultListMapKeys when omitted. */
  listMapKeys?: ListMapKeys;
}

/** The outcome of an apply. */
export interface ApplyResult {
  /** The object to store, metadata.managedFields included. */
  object: StellaObject;
  managedFields: ManagedFieldsEntry[];
  /** False when neither a field nor an ownership changed: the live object (timestamps included) stands. */
  changed: boolean;
}

/**
 * Applies a configuration; throws ApplyConflictError on conflicts without force, ApplyInputError on an unusable
 * request.
 */
export function serverSideApply(req: ApplyRequest): ApplyResult {
  const { live, applied, manager, force = false, now, subresource } = req;
  if (!manager) throw new ApplyInputError("BadRequest", "", "fieldManager is required for apply requests");
  if (!isPlainObject(applied)) throw new ApplyInputError("BadRequest", "", "an apply configuration must be an object");
  if (isPlainObject(applied.metadata) && applied.metadata.managedFields !== undefined)
    throw new ApplyInputError("BadRequest", "metadata.managedFields", "must be nil");

  const excluded = excludedFields(req.ignorePaths);
  const config = withoutFields(applied, dottedPaths(req.ignorePaths ?? [])) as Record<string, unknown>;
  const liveBody = live ? withoutManagedFields(live) : {};
  const plan = planLists(req.listMapKeys ?? defaultListMapKeys, liveBody, config);
  const duplicate = findDuplicateKey(config, plan);
  if (duplicate)
    throw new ApplyInputError(
      "Invalid",
      describePath(duplicate.path),
      `duplicate entries for key ${describePath([duplicate.step])}`,
    );

  const apiVersion = String(applied.apiVersion ?? live?.apiVersion ?? "");
  const me = { manager, operation: "Apply" as const, apiVersion, ...(subresource ? { subresource } : {}) };
  const id = managerId(me);
  const before = live ? liveManagers(live, liveBody, plan, excluded, apiVersion, now) : new Map<string, Manager>();
  const others = [...before].filter(([key]) => key !== id).sort(([a], [b]) => (a < b ? -1 : 1));
  const mine = ownable(fieldSetFor(config, plan), excluded);

  let merged = mergeApplied(liveBody, config, plan) as Record<string, unknown>;
  const last = before.get(id)?.fields;
  if (last) {
    const keep = others.reduce((all, [, m]) => all.union(m.fields), mine);
    merged = pruneFields(merged, last.difference(mine), keep, plan);
  }

  const diff = compareObjects(liveBody, merged, plan);
  const touched = ownable(diff.modified.union(diff.added), excluded);
  const removed = ownable(diff.removed, excluded);
  const conflicts: FieldConflict[] = [];
  const after = new Map<string, Manager>();
  for (const [key, m] of others) {
    const contested = m.fields.intersection(touched);
    for (const path of contested.paths()) conflicts.push(conflictOf(m, describePath(path)));
    after.set(key, { ...m, fields: m.fields.difference(contested).difference(removed) });
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflictError(conflicts);
  after.set(id, { ...me, fields: mine, time: managedTime(now) });

  const body = dropNulls(merged) as Record<string, unknown>;
  const changed = !live || !deepEqual(body, liveBody) || !sameOwnership(before, after);
  const managedFields = changed ? encodeManagedFields(after.values()) : cloneJson(live.metadata.managedFields ?? []);
  const metadata = { ...(isPlainObject(body.metadata) ? body.metadata : {}), managedFields };
  return { object: { ...body, metadata } as StellaObject, managedFields, changed };
}

/**
 * The live managers; an object that has none gets one "before-first-apply" manager owning all it holds, as in
 * Kubernetes.
 */
function liveManagers(
  live: StellaObject,
  body: unknown,
  plan: ListPlan,
  excluded: FieldSet,
  apiVersion: string,
  now: Date,
): Map<string, Manager> {
  let managers: Map<string, Manager>;
  try {
    managers = decodeManagedFields(live.metadata?.managedFields);
  } catch {
    managers = new Map(); // undecodable bookkeeping is dropped rather than failing the write, as Kubernetes does
  }
  if (managers.size > 0) return managers;
  const fields = ownable(compareObjects(undefined, body, plan).added, excluded);
  const previous: Manager = {
    manager: BEFORE_FIRST_APPLY,
    operation: "Update",
    apiVersion,
    fields,
    time: managedTime(now),
  };
  return fields.isEmpty() ? managers : new Map([[managerId(previous), previous]]);
}

function conflictOf(m: Manager, field: string): FieldConflict {
  return {
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.subresource ? { subresource: m.subresource } : {}),
    field,
  };
}

function sameOwnership(a: Map<string, Manager>, b: Map<string, Manager>): boolean {
  const owning = (m: Map<string, Manager>) => [...m].filter(([, v]) => !v.fields.isEmpty());
  const left = owning(a);
  const right = new Map(owning(b));
  return left.length === right.size && left.every(([key, m]) => right.get(key)?.fields.equals(m.fields) === true);
}
