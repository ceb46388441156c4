// Objects as text: -o yaml, -o json, -o name, -o jsonpath=…, and the `kind.group/name` form
// kubectl prints. Keys are sorted and managedFields hidden, as kubectl does.
import { stringify } from "yaml";
import { groupOf } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { UsageError } from "../command.ts";
import { jsonpath } from "./jsonpath.ts";

/** A parsed `-o` flag. "table" is the default human output. */
export type OutputFormat =
  { kind: "table" | "wide" | "yaml" | "json" | "name" } | { kind: "jsonpath"; template: string };

/** An object together with its kind. */
export interface KindedObject {
  info: KindInfo;
  object: Record<string, unknown> & { metadata?: { name?: string } };
}

/** Parses `-o`; `allowed` limits the formats a command supports. */
export function parseOutput(value: string | undefined, allowed: readonly OutputFormat["kind"][]): OutputFormat {
  if (value === undefined || value === "") return { kind: "table" };
  const m = /^jsonpath=(.*)$/s.exec(value);
  if (m && allowed.includes("jsonpath")) {
    if (!m[1]) throw new UsageError("-o jsonpath= needs a template, e.g. -o jsonpath='{.metadata.name}'");
    return { kind: "jsonpath", template: m[1] };
  }
  if ((allowed as string[]).includes(value) && value !== "jsonpath") return { kind: value as "yaml" };
  const names = allowed.filter((k) => k !== "table").map((k) => (k === "jsonpath" ? "jsonpath=TEMPLATE" : k));
  throw new UsageError(`-o must be one of ${names.join(", ")}, not "${value}"`);
}

/** `environment.release.stella.io`, or `namespace` for the core group: how kubectl names a kind. */
export const qualifiedKind = (info: KindInfo): string =>
  groupOf(info) ? `${info.singular}.${groupOf(info)}` : info.singular;

/** `environment.release.stella.io/dev`. */
export const objectName = (info: KindInfo, name: string | undefined): string => `${qualifiedKind(info)}/${name ?? ""}`;

/** `environments.release.stella.io`: the resource, as error messages name it. */
export const qualifiedResource = (info: KindInfo): string =>
  groupOf(info) ? `${info.plural}.${groupOf(info)}` : info.plural;

/** A deep copy with object keys in alphabetical order (the order kubectl prints). */
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as T;
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

/** A copy of `obj` without metadata.managedFields. */
export function withoutManagedFields<T extends Record<string, unknown>>(obj: T): T {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (!meta || !("managedFields" in meta)) return obj;
  const { managedFields: _hidden, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** YAML as kubectl writes it: sorted keys, sequences not indented, no line folding. */
export const toYaml = (v: unknown): string => stringify(sortKeys(v), { indentSeq: false, lineWidth: 0 });

/** JSON as kubectl writes it: sorted keys, four-space indent, a final newline. */
export const toJson = (v: unknown): string => JSON.stringify(sortKeys(v), null, 4) + "\n";

/** The v1 List kubectl prints for several objects. */
export const asList = (items: unknown[]) => ({
  apiVersion: "v1",
  kind: "List",
  items,
  metadata: { resourceVersion: "" },
});

/**
 * Renders objects in a machine format. `single`: the user named exactly one object, so it is
 * printed alone rather than inside a List.
 */
export function formatObjects(
  objects: KindedObject[],
  format: OutputFormat,
  opts: { single: boolean; showManagedFields?: boolean },
): string {
  const plain = objects.map((o) => (opts.showManagedFields ? o.object : withoutManagedFields(o.object)));
  const value = opts.single && plain.length === 1 ? plain[0] : asList(plain);
  switch (format.kind) {
    case "yaml":
      return toYaml(value);
    case "json":
      return toJson(value);
    case "name":
      return objects.map((o) => objectName(o.info, o.object.metadata?.name) + "\n").join("");
    case "jsonpath":
      return jsonpath(format.template, value);
    default:
      throw new TypeError(`formatObjects cannot print ${format.kind}`);
  }
}
