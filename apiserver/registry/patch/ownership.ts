// Which fields a manager can own. The server's bookkeeping in metadata is never owned (Kubernetes
// strips the same fields), nor are fields the caller names in `ignorePaths` (e.g. status on the
// main resource), nor anything beneath them.
import { FieldSet } from "./field-set.ts";
import { fieldStep } from "./field-path.ts";
import { isPlainObject, setMember } from "./json-value.ts";

/** Fields the server sets and no manager owns, as dotted member paths. */
export const SERVER_FIELDS: readonly string[] = [
  "apiVersion",
  "kind",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "metadata.resourceVersion",
  "metadata.generation",
  "metadata.creationTimestamp",
  "metadata.deletionTimestamp",
  "metadata.deletionGracePeriodSeconds",
  "metadata.managedFields",
  "metadata.selfLink",
];

/** Dotted member paths ("status", "spec.paused") as a set of prefixes. */
export function dottedPaths(paths: readonly string[]): FieldSet {
  return FieldSet.of(paths.map((p) => p.split(".").map(fieldStep)));
}

/** Fields excluded from ownership: the server's plus `ignorePaths` (dotted member paths). */
export function excludedFields(ignorePaths: readonly string[] = []): FieldSet {
  return dottedPaths([...SERVER_FIELDS, ...ignorePaths]);
}

const METADATA_ITSELF = FieldSet.of([[fieldStep("metadata")]]);

/** The part of `set` a manager may own, given the excluded prefixes. */
export function ownable(set: FieldSet, excluded: FieldSet): FieldSet {
  return set.withoutPrefixes(excluded).difference(METADATA_ITSELF);
}

/** A copy of `value` without the members at the given prefixes (only f: steps are followed). */
export function withoutFields(value: unknown, prefixes: FieldSet): unknown {
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    const sub = prefixes.child(fieldStep(name));
    if (sub?.member) continue;
    setMember(out, name, sub ? withoutFields(child, sub) : structuredClone(child));
  }
  return out;
}
