// What the apiserver and clients need to know about a kind besides its schema.
import type { z } from "zod";

/** One column of `kubectl get` output (a Table column definition plus how to read it). */
export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  /** JSONPath-like dotted path into the object, e.g. `.status.phase`, or a function for derived values. */
  jsonPath: string;
  description?: string;
  /** 0 shows always; >0 only with `-o wide`. */
  priority?: number;
  /** Computes the cell instead of jsonPath, for values no path reads (e.g. an event's `kind/name`). */
  cell?: (obj: unknown) => unknown;
}

/**
 * A kind served from another kind's storage, as events.k8s.io/v1 Event is from core v1 Event: the
 * registry converts every object on its way in and out, so both versions see the same objects.
 */
export interface StoredAs {
  /** The kind whose form is stored (same plural, so the same storage key). */
  info: KindInfo;
  toStorage(obj: unknown): unknown;
  fromStorage(obj: unknown): unknown;
}

/** Registration data of one kind: names, scope, schema and presentation. */
export interface KindInfo {
  /** API group; omitted means release.stella.io. "" is the core group (Namespace). */
  group?: string;
  /** API version; omitted means v1alpha1. */
  version?: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories?: string[];
  /** Full object schema (apiVersion, kind, metadata, spec, status), strict. */
  schema: z.ZodType;
  /** Whether the kind has a `/status` subresource. */
  hasStatus: boolean;
  /** Action subresources besides status (e.g. `approval` on promotions), served with POST only (verb create). */
  subresources?: string[];
  /** Extra columns for Table output after NAME (AGE is appended by the server). */
  printerColumns: PrinterColumn[];
  /** Spec fields usable in fieldSelector besides metadata.name and metadata.namespace, as dotted paths. */
  selectableFields: string[];
  /** One-paragraph explanation of the kind, shown by `kubectl explain`. */
  description: string;
  /** Field selector labels that read another path than their name, e.g. core Event `source` reads source.component. */
  fieldLabels?: Record<string, string>;
  /** Set when this kind is another version of a stored kind (see StoredAs). */
  storedAs?: StoredAs;
  /** Fields that may not change after creation, as dotted paths (checked by the registry). */
  immutableFields?: string[];
}
