// Managed-fields bookkeeping for ordinary writes (create, PUT, merge patch, JSON patch; Updater.Update
// in Kubernetes). The writer gains every field whose value it added or changed, and every other
// manager loses those fields: that is why a later apply of a different value conflicts with the
// writer (say "kubectl-edit"). Removed fields leave every manager.
import type { ManagedFieldsEntry, StellaObject } from "../../../crds/meta.ts";
import { compareObjects } from "./compare.ts";
import { FieldSet } from "./field-set.ts";
import { cloneJson } from "./json-value.ts";
import { defaultListMapKeys, planLists } from "./list-semantics.ts";
import type { ListMapKeys } from "./list-semantics.ts";
import {
  decodeManagedFields,
  encodeManagedFields,
  isResetManagedFields,
  managedTime,
  managerId,
  withoutManagedFields,
} from "./managers.ts";
import type { Manager } from "./managers.ts";
import { excludedFields, ownable } from "./ownership.ts";

/** One ordinary write to record. */
export interface UpdateRequest {
  /** The stored object, or undefined for a create. */
  live: StellaObject | undefined;
  /** The object about to be stored (after patching, defaulting and the strategy). */
  updated: StellaObject;
  /** The fieldManager of the request. */
  manager: string;
  operation?: "Update";
  now: Date;
  /** "status" for writes to the status subresource. */
  subresource?: string;
  /** Dotted member paths that are never owned (e.g. "status" on the main resource). */
  ignorePaths?: readonly string[];
  /** How lists merge, per path; defaultListMapKeys when omitted. */
  listMapKeys?: ListMapKeys;
}

/**
 * The managedFields to store with `updated`. As in Kubernetes, managedFields the request itself
 * carries replace the live ones (except on a subresource, and unless undecodable or empty), and
 * `[{}]` clears them. A write that changes no field returns the starting entries untouched.
 */
export function updateManagedFields(req: UpdateRequest): ManagedFieldsEntry[] {
  const { live, updated, manager, now, subresource } = req;
  const start = startingEntries(live, updated, subresource);
  let managers: Map<string, Manager>;
  try {
    managers = decodeManagedFields(start);
  } catch {
    managers = new Map(); // undecodable bookkeeping is dropped rather than failing the write, as Kubernetes does
  }

  const before = live ? withoutManagedFields(live) : {};
  const after = withoutManagedFields(updated);
  const plan = planLists(req.listMapKeys ?? defaultListMapKeys, before, after);
  const diff = compareObjects(before, after, plan);
  const excluded = excludedFields(req.ignorePaths);
  const gained = ownable(diff.modified.union(diff.added), excluded);
  const removed = ownable(diff.removed, excluded);
  if (gained.isEmpty() && removed.isEmpty()) return cloneJson(start);

  const apiVersion = String(updated.apiVersion ?? live?.apiVersion ?? "");
  const me = { manager, operation: "Update" as const, apiVersion, ...(subresource ? { subresource } : {}) };
  const id = managerId(me);
  const next: Manager[] = [];
  for (const [key, m] of managers)
    if (key !== id) next.push({ ...m, fields: m.fields.difference(gained).difference(removed) });
  const previous = managers.get(id);
  const fields = (previous?.fields ?? new FieldSet()).union(gained).difference(removed);
  const time = gained.isEmpty() ? previous?.time : managedTime(now);
  next.push({ ...me, fields, ...(time ? { time } : {}) });
  return encodeManagedFields(next);
}

function startingEntries(
  live: StellaObject | undefined,
  updated: StellaObject,
  subresource: string | undefined,
): ManagedFieldsEntry[] {
  const requested = updated.metadata?.managedFields;
  const fromLive = live?.metadata?.managedFields ?? [];
  if (subresource || requested === undefined) return fromLive;
  if (isResetManagedFields(requested)) return [];
  try {
    return decodeManagedFields(requested).size > 0 ? requested : fromLive;
  } catch {
    return fromLive;
  }
}
