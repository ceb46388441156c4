// OpenAPI v3 documents as kubectl reads them. `/openapi/v3` lists one document per group-version
// (openApiRoot); each document holds the kinds' schemas, tagged with x-kubernetes-group-version-kind
// so `kubectl explain` finds them, and the resource paths with a PATCH operation per kind that
// declares `fieldValidation` (kubectl then validates on the server) and no strategic merge patch
// (kubectl then sends JSON merge patches, as for custom resources).
import { createHash } from "node:crypto";
import { groupVersionKind, kindJsonSchema, type JsonSchema } from "./json-schema.ts";
import { groupOf, kinds, versionOf } from "./scheme.ts";
import type { KindInfo } from "./scheme-types.ts";

/** An OpenAPI 3.0 document for one group-version. */
export interface OpenApiDocument {
  openapi: "3.0.0";
  info: { title: string; version: string };
  paths: Record<string, JsonSchema>;
  components: { schemas: Record<string, JsonSchema> };
}

/** The `/openapi/v3` discovery document: where each group-version's document lives. */
export interface OpenApiRoot {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** The component name of a kind's schema: `io.stella.release.v1alpha1.Release`, `io.k8s.api.core.v1.Namespace`. */
export function schemaName(info: KindInfo, kind = info.kind): string {
  const group = groupOf(info);
  const prefix = group ? group.split(".").reverse().join(".") : "io.k8s.api.core";
  return `${prefix}.${versionOf(info)}.${kind}`;
}

/** The key of a group-version in the root document: `apis/release.stella.io/v1alpha1` or `api/v1`. */
export const groupVersionPath = (group: string, version: string): string =>
  group ? `apis/${group}/${version}` : `api/${version}`;

/** Every group-version Stella serves, as [group, version] pairs. */
export function groupVersions(): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const info of kinds)
    seen.set(groupVersionPath(groupOf(info), versionOf(info)), [groupOf(info), versionOf(info)]);
  return [...seen.values()];
}

const documents = new Map<string, OpenApiDocument>();

/** The document of one group-version, or undefined when Stella serves no kind there. Built once. */
export function openApiForGroupVersion(group: string, version: string): OpenApiDocument | undefined {
  const key = groupVersionPath(group, version);
  const cached = documents.get(key);
  if (cached) return cached;
  const members = kinds.filter((k) => groupOf(k) === group && versionOf(k) === version);
  if (members.length === 0) return undefined;
  const doc: OpenApiDocument = {
    openapi: "3.0.0",
    info: { title: "Stella", version },
    paths: Object.assign({}, ...members.map(kindPaths)),
    components: { schemas: Object.assign({}, ...members.map(kindComponents)) },
  };
  documents.set(key, doc);
  return doc;
}

/** The document of Stella's own group (release.stella.io/v1alpha1). */
export function openApiDocument(): OpenApiDocument {
  const [info] = kinds;
  return openApiForGroupVersion(groupOf(info), versionOf(info)) as OpenApiDocument;
}

/** The `/openapi/v3` answer; each URL carries a hash of its document so clients cache it safely. */
export function openApiRoot(): OpenApiRoot {
  const paths: OpenApiRoot["paths"] = {};
  for (const [group, version] of groupVersions()) {
    const key = groupVersionPath(group, version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${openApiHash(group, version)}` };
  }
  return { paths };
}

/** The hash clients see in serverRelativeURL: sha512 of the document's JSON, upper-case hex. */
export function openApiHash(group: string, version: string): string {
  const doc = openApiForGroupVersion(group, version);
  return createHash("sha512")
    .update(JSON.stringify(doc ?? null))
    .digest("hex")
    .toUpperCase();
}

const ref = (info: KindInfo, kind = info.kind) => ({ $ref: `#/components/schemas/${schemaName(info, kind)}` });

function kindComponents(info: KindInfo): Record<string, JsonSchema> {
  const list: JsonSchema = {
    type: "object",
    description: `A list of ${info.plural}.`,
    required: ["items"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: {
        type: "object",
        properties: {
          resourceVersion: { type: "string" },
          continue: { type: "string" },
          remainingItemCount: { type: "integer" },
        },
      },
      items: { type: "array", items: ref(info) },
    },
    "x-kubernetes-group-version-kind": [groupVersionKind(info, `${info.kind}List`)],
  };
  return { [schemaName(info)]: kindJsonSchema(info, "openapi-3.0"), [schemaName(info, `${info.kind}List`)]: list };
}

const query = (name: string, type: "string" | "boolean" | "integer", description: string) => ({
  name,
  in: "query",
  description,
  schema: { type },
});
const pathParam = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string" },
});

const WRITE_PARAMS = [
  query("dryRun", "string", "`All` runs every stage of the request except persisting it."),
  query("fieldManager", "string", "Name of the actor making the change, for managed fields."),
  query("fieldValidation", "string", "Strict, Warn or Ignore; Stella always rejects unknown fields."),
];
const LIST_PARAMS = [
  query("labelSelector", "string", "Only objects whose labels match."),
  query(
    "fieldSelector",
    "string",
    "Only objects whose fields match (metadata.name, metadata.namespace and the kind's selectable fields).",
  ),
  query("limit", "integer", "At most this many items; `continue` fetches the rest of the same snapshot."),
  query("continue", "string", "The continue token of the previous page."),
  query("resourceVersion", "string", "List at (or watch from) this version."),
  query("watch", "boolean", "Stream changes as newline-delimited JSON events."),
  query("allowWatchBookmarks", "boolean", "Send BOOKMARK events on a watch."),
  query("sendInitialEvents", "boolean", "Start a watch with an ADDED event for every existing object."),
  query("timeoutSeconds", "integer", "End the list or watch after this many seconds."),
];
const DELETE_PARAMS = [
  query("dryRun", "string", "`All` runs every stage of the request except persisting it."),
  query("propagationPolicy", "string", "Orphan, Background or Foreground deletion of dependents."),
  query("gracePeriodSeconds", "integer", "Accepted for compatibility."),
];
const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

function operation(
  info: KindInfo,
  action: string,
  operationId: string,
  what: string,
  extra: JsonSchema = {},
): JsonSchema {
  return {
    operationId,
    description: what,
    tags: [groupVersionPath(groupOf(info), versionOf(info))],
    responses: { "200": { description: "OK", content: { "application/json": { schema: ref(info) } } } },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": groupVersionKind(info),
    ...extra,
  };
}

const body = (info: KindInfo, types: string[] = ["application/json", "application/yaml"]) => ({
  required: true,
  content: Object.fromEntries(types.map((t) => [t, { schema: t.includes("patch") ? { type: "object" } : ref(info) }])),
});

function kindPaths(info: KindInfo): Record<string, JsonSchema> {
  const base = `/${groupVersionPath(groupOf(info), versionOf(info))}`;
  const collection = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}` : `${base}/${info.plural}`;
  const scope = info.namespaced ? [pathParam("namespace", "The namespace.")] : [];
  const name = [...scope, pathParam("name", `Name of the ${info.kind}.`)];
  const listResponse = {
    "200": { description: "OK", content: { "application/json": { schema: ref(info, `${info.kind}List`) } } },
  };
  const itemOps = (suffix: string, what: string): JsonSchema => ({
    parameters: name,
    get: operation(info, "get", `read${info.kind}${suffix}`, `Read ${what}.`),
    put: operation(info, "put", `replace${info.kind}${suffix}`, `Replace ${what}.`, {
      parameters: WRITE_PARAMS,
      requestBody: body(info),
    }),
    patch: operation(info, "patch", `patch${info.kind}${suffix}`, `Partially update ${what}.`, {
      parameters: [
        ...WRITE_PARAMS,
        query("force", "boolean", "Server-side apply: take ownership of conflicting fields."),
      ],
      requestBody: body(info, PATCH_TYPES),
    }),
  });
  const paths: Record<string, JsonSchema> = {
    [collection]: {
      parameters: scope,
      get: operation(info, "list", `list${info.kind}`, `List or watch ${info.plural}.`, {
        parameters: LIST_PARAMS,
        responses: listResponse,
      }),
      post: operation(info, "post", `create${info.kind}`, `Create a ${info.kind}.`, {
        parameters: WRITE_PARAMS,
        requestBody: body(info),
      }),
      delete: operation(
        info,
        "deletecollection",
        `deleteCollection${info.kind}`,
        `Delete a collection of ${info.plural}.`,
        { parameters: [...DELETE_PARAMS, ...LIST_PARAMS.slice(0, 2)] },
      ),
    },
    [`${collection}/{name}`]: {
      ...itemOps("", `the specified ${info.kind}`),
      delete: operation(info, "delete", `delete${info.kind}`, `Delete a ${info.kind}.`, { parameters: DELETE_PARAMS }),
    },
  };
  if (info.hasStatus)
    paths[`${collection}/{name}/status`] = itemOps("Status", `the status of the specified ${info.kind}`);
  if (info.namespaced) {
    paths[`${base}/${info.plural}`] = {
      get: operation(
        info,
        "list",
        `list${info.kind}ForAllNamespaces`,
        `List or watch ${info.plural} in every namespace.`,
        { parameters: LIST_PARAMS, responses: listResponse },
      ),
    };
  }
  return paths;
}
