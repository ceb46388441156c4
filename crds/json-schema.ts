// JSON Schema of each kind, generated from its zod schema: OpenAPI 3.0 flavour for /openapi/v3 and
// `kubectl explain`, draft 2020-12 for editors. Cross-field rules (superRefine) do not carry over.
import { z } from "zod";
import { apiVersionOf, groupOf, versionOf } from "./scheme.ts";
import type { KindInfo } from "./scheme-types.ts";

/** A JSON Schema (or OpenAPI Schema Object) as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/** The dialects kindJsonSchema produces. */
export type SchemaTarget = "openapi-3.0" | "draft-2020-12";

/** The `x-kubernetes-group-version-kind` entry that identifies a kind's schema. */
export function groupVersionKind(info: KindInfo, kind = info.kind): { group: string; version: string; kind: string } {
  return { group: groupOf(info), version: versionOf(info), kind };
}

// Descriptions of the envelope fields every object has, worded as Kubernetes words them.
const ENVELOPE: Record<string, string> = {
  apiVersion: "APIVersion defines the versioned schema of this representation of an object.",
  kind: "Kind is the type of the object, in CamelCase.",
  metadata:
    "Standard object metadata: name, namespace, labels, annotations, and what the server maintains (uid, resourceVersion, generation, timestamps, finalizers, ownerReferences, managedFields).",
  spec: "The desired state, written by users and automation.",
  status: "The observed state, written by controllers through the status subresource.",
};

/** The schema of a whole object of the kind, with the kind's description and GVK. */
export function kindJsonSchema(info: KindInfo, target: SchemaTarget): JsonSchema {
  const raw = z.toJSONSchema(info.schema, {
    target,
    io: "input",
    unrepresentable: "any",
    reused: "inline",
  }) as JsonSchema;
  const schema = tidy(raw, target) as JsonSchema;
  delete schema.$schema;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [field, description] of Object.entries(ENVELOPE)) {
    if (properties[field] && properties[field].description === undefined)
      properties[field] = { description, ...properties[field] };
  }
  return {
    ...(target === "draft-2020-12"
      ? { $schema: "https://json-schema.org/draft/2020-12/schema", title: `${info.kind} (${apiVersionOf(info)})` }
      : {}),
    description: info.description,
    ...schema,
    "x-kubernetes-group-version-kind": [groupVersionKind(info)],
  };
}

/**
 * Drops what only adds noise (safe-integer bounds, date-time regexes). For OpenAPI, maps base64 to
 * `format: byte` and int-or-string unions to `type: string, format: int-or-string`, as Kubernetes
 * publishes its own types, so `kubectl explain` shows `<string>` rather than `<Object>`.
 */
function tidy(node: unknown, target: SchemaTarget): unknown {
  if (Array.isArray(node)) return node.map((item) => tidy(item, target));
  if (node === null || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = tidy(value, target);
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.format === "date-time") delete out.pattern;
  if (target === "openapi-3.0" && out.contentEncoding === "base64") {
    delete out.contentEncoding;
    out.format = "byte";
  }
  if (target === "openapi-3.0" && out["x-kubernetes-int-or-string"] === true) {
    delete out.anyOf;
    out.type = "string";
    out.format = "int-or-string";
  }
  return out;
}
