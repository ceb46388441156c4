// Kubernetes' size rules for labels and annotations (apimachinery's ValidateLabels and
// ValidateAnnotations), which the kind schemas' syntax checks do not cover: a label key's DNS
// prefix is at most 253 characters, annotations together at most 256 KiB. Kubernetes bounds the
// number of labels only through etcd's object size; Stella gives labels the same 256 KiB budget
// as annotations, since every label is matched by selectors on every list and watch.
import type { StatusCause } from "../../crds/errors.ts";
import type { ObjectMeta } from "../../crds/meta.ts";

/** apimachinery's TotalAnnotationSizeLimitB. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;
/** Stella's bound on all labels of one object, keys and values. */
export const MAX_LABELS_BYTES = 256 * 1024;
/** The longest DNS subdomain a qualified name's prefix may be. */
const MAX_PREFIX = 253;

// Keys and values in UTF-8 bytes, as Kubernetes counts them.
const mapBytes = (m: Record<string, unknown>) =>
  Object.entries(m).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + (typeof v === "string" ? Buffer.byteLength(v) : 0),
    0,
  );

function prefixCauses(m: Record<string, unknown>, field: string): StatusCause[] {
  return Object.keys(m)
    .filter((k) => k.includes("/") && k.slice(0, k.indexOf("/")).length > MAX_PREFIX)
    .slice(0, 5)
    .map((k) => ({
      reason: "FieldValueInvalid",
      field: `${field}[${k.slice(0, 40)}...]`,
      message: `prefix part must be no more than ${MAX_PREFIX} characters`,
    }));
}

/** Causes for labels or annotations past Kubernetes' limits (the schema checks their syntax). */
export function metadataLimitCauses(meta: ObjectMeta | undefined): StatusCause[] {
  if (!meta || typeof meta !== "object") return [];
  const causes: StatusCause[] = [];
  const { labels, annotations } = meta as { labels?: unknown; annotations?: unknown };
  if (labels && typeof labels === "object") {
    const size = mapBytes(labels as Record<string, unknown>);
    if (size > MAX_LABELS_BYTES)
      causes.push({
        reason: "FieldValueTooLong",
        field: "metadata.labels",
        message: `Too long: may not be more than ${MAX_LABELS_BYTES} bytes (${size} bytes)`,
      });
    causes.push(...prefixCauses(labels as Record<string, unknown>, "metadata.labels"));
  }
  if (annotations && typeof annotations === "object") {
    const size = mapBytes(annotations as Record<string, unknown>);
    if (size > MAX_ANNOTATIONS_BYTES)
      causes.push({
        reason: "FieldValueTooLong",
        field: "metadata.annotations",
        message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes (${size} bytes)`,
      });
    causes.push(...prefixCauses(annotations as Record<string, unknown>, "metadata.annotations"));
  }
  return causes;
}
