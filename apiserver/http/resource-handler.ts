// Serves one resource request end to end: parse the path, authorize, run the verb through the
// registry, answer JSON or a Table, audit what was mutated.
import type { Context } from "hono";
import { ApiError, badRequest, methodNotAllowed } from "../../crds/errors.ts";
import type { StellaObject, UserInfo } from "../../crds/meta.ts";
import { APPROVAL_SUBRESOURCE } from "../../crds/promotion-approval.ts";
import { promotionKind } from "../../crds/promotion.ts";
import { deleteObject, parseDeleteOptions } from "../registry/delete-object.ts";
import { fieldMatcher, parseFieldSelector } from "../registry/field-selector.ts";
import { labelMatcher, parseLabelSelector } from "../registry/label-selector.ts";
import { PATCH_TYPES, patchObject, type PatchType } from "../registry/patch-object.ts";
import { apiVersionOf } from "../../crds/scheme.ts";
import { parseResourceVersion } from "../registry/request-body.ts";
import type { AuditContext } from "../registry/audit-context.ts";
import { approvalResponse } from "./approval-route.ts";
import type { ContentAccess } from "./content-access.ts";
import type { HttpDeps } from "./deps.ts";
import { listBody } from "./list-body.ts";
import { flag, parseCount, parseDryRun, parseFieldManager, parseForce, type Query } from "./request-options.ts";
import { mediaType, parseBody, readBodyBytes } from "./request-body.ts";
import { parseResourcePath, type ResourcePath } from "./resource-path.ts";
import { rawPathOf } from "./path-segments.ts";
import { toTable, wantsTable } from "./table.ts";
import { waitForResourceVersion } from "./resource-version-wait.ts";
import { watchResponse } from "./watch-stream.ts";

/** Verbs by HTTP method, refined by whether a name (or watch) is present. */
export function verbOf(method: string, p: ResourcePath, q: Query): string {
  switch (method) {
    case "GET":
      return p.name ? "get" : flag(q, "watch") ? "watch" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return p.name ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

const MUTATING = new Set(["create", "update", "patch", "delete", "deletecollection"]);

/** Whether a verb changes state (and so is audited). */
export const isMutating = (verb: string) => MUTATING.has(verb);

const JSON_HEADERS = { "content-type": "application/json" };
const jsonText = (text: string | Uint8Array<ArrayBuffer>, status = 200) =>
  new Response(text, { status, headers: JSON_HEADERS });
const json = (body: unknown, status = 200) => jsonText(JSON.stringify(body), status);

/** The request's resolved path and verb, shared with the metrics and audit wrapper. */
export interface ResolvedRequest {
  path: ResourcePath;
  verb: string;
  /** For a create: the name the body gives (the audit log records it). */
  bodyName?: string;
  /** For a mutating request: its audit record, committed with the write. */
  audit?: AuditContext;
  /** The authenticated caller, for server-owned fields (Promotion spec.requestedBy, approvals). */
  requester?: UserInfo;
  /** The caller's roles in the request's namespace, for the registry's admission rules. */
  roles?: readonly string[];
  /** What responses may show the caller of the object `name` (or of the collection); see content-access.ts. */
  access?: (name: string | undefined) => Promise<ContentAccess>;
}

/** Resolves path and verb before anything else (so metrics and audit can name them). */
export function resolve(deps: HttpDeps, c: Context): ResolvedRequest {
  const path = parseResourcePath(rawPathOf(c.req.url), deps.kinds);
  const verb = verbOf(c.req.method, path, c.req.query());
  if (!path.name && ["update", "patch"].includes(verb))
    throw methodNotAllowed(`${c.req.method} is not supported on a collection`);
  // status is read and written like the object; every other subresource is an action, POSTed (create).
  const subVerbs = path.subresource === "status" ? ["get", "update", "patch"] : ["create"];
  if (path.subresource && !subVerbs.includes(verb))
    throw methodNotAllowed(`${c.req.method} is not supported on the ${path.subresource} subresource`);
  if (verb === "create" && path.name && !path.subresource)
    throw methodNotAllowed("POST to a named object is not supported; POST to the collection");
  if (verb === "create" && path.info.namespaced && path.namespace === undefined)
    throw methodNotAllowed(`${path.info.plural} are namespaced: POST to /namespaces/{namespace}/${path.info.plural}`);
  return { path, verb };
}

/** Runs an authorized resource request. */
export async function handleResource(
  deps: HttpDeps,
  c: Context,
  r: ResolvedRequest,
  authorizeCreate: (name: string | undefined) => Promise<void>,
): Promise<Response> {
  const { path, verb, audit, requester, roles } = r;
  const { info, namespace, name, subresource } = path;
  if (verb === "create" && subresource === APPROVAL_SUBRESOURCE && info.kind === promotionKind.kind)
    return approvalResponse(deps, c, { namespace: namespace!, name: name!, requester, audit }, authorizeCreate);
  if (verb === "create" && subresource)
    throw methodNotAllowed(`POST is not supported on the ${subresource} subresource of ${info.plural}`);
  const q = c.req.query();
  const store = deps.store;
  const table = wantsTable(c.req.header("accept"));
  const ns = info.namespaced ? namespace : undefined;
  const readBody = async () => parseBody(await readBodyBytes(c.req.raw, deps.bodyLimit), mediaType(c.req.raw));
  const accessTo = (n: string | undefined) =>
    r.access ? r.access(n) : Promise.resolve<ContentAccess>({ mayRead: true, present: (o) => o });
  // Every object a response carries goes through `present`: whole for a reader, without secret content otherwise.
  const access = verb === "create" ? undefined : await accessTo(name);
  const present = (o: StellaObject) => (access ? access.present(o) : o);
  const blind = access ? !access.mayRead : false;
  const render = (o: StellaObject, status = 200, shown = present(o)) => {
    const rv = shown.metadata.resourceVersion;
    return table
      ? json(toTable(info, [shown], { resourceVersion: rv, includeObject: q.includeObject }), status)
      : json(shown, status);
  };

  switch (verb) {
    case "get": {
      const obj = await store.get(info, ns, name!);
      return render(obj);
    }
    case "list":
    case "watch": {
      const filterFn = listFilter(path, q);
      if (verb === "watch") {
        const sinceRV = parseResourceVersion(q.resourceVersion, "resourceVersion");
        if (sinceRV) await waitForResourceVersion(store.storage, sinceRV);
        const timeout = Math.min(parseCount(q, "timeoutSeconds") ?? 1800, 3600);
        return watchResponse(deps, store, {
          info,
          namespace: ns,
          filter: filterFn,
          sinceRV,
          sendInitialEvents: flag(q, "sendInitialEvents"),
          bookmarks: flag(q, "allowWatchBookmarks"),
          timeoutSeconds: timeout,
          table,
          includeObject: q.includeObject,
          present,
        });
      }
      // A list must not answer older than the resourceVersion it names (NotOlderThan, the default
      // with a resourceVersion, or Exact): one this server has not reached waits briefly, then 504.
      const listRV = parseResourceVersion(q.resourceVersion, "resourceVersion");
      if (listRV) await waitForResourceVersion(store.storage, listRV);
      const limit = parseCount(q, "limit");
      // Objects shown whole in JSON may come from the list cache as UTF-8 JSON, copied without a parse.
      const encoded = !table && !store.hasSecretContent(info);
      const pageSize = limit === 0 ? undefined : limit;
      const request = { filter: filterFn, limit: pageSize, continue: q.continue || undefined, encoded };
      const page = await store.list(info, ns, request);
      const items = (page.items as StellaObject[]).map(present);
      const rv = String(page.rv);
      if (table)
        return json(
          toTable(info, items, { resourceVersion: rv, continue: page.continue, includeObject: q.includeObject }),
        );
      const metadata: Record<string, unknown> = { resourceVersion: rv };
      if (page.continue) metadata.continue = page.continue;
      if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
      const head = { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata };
      if (page.encodedItems) return jsonText(listBody(head, page.encodedItems));
      return json({ ...head, items });
    }
    case "create": {
      const body = await readBody();
      await authorizeCreate(nameIn(body));
      const created = await store.create(info, ns, body, {
        dryRun: parseDryRun(q),
        fieldManager: parseFieldManager(q, c.req.header("user-agent"), false),
        audit,
        requester,
        roles,
      });
      return render(created, 201, (await accessTo(created.metadata.name)).present(created));
    }
    case "update": {
      const body = await readBody();
      const updated = await store.update(info, ns, name!, body, {
        dryRun: parseDryRun(q),
        fieldManager: parseFieldManager(q, c.req.header("user-agent"), false),
        subresource,
        audit,
        blind,
        requester,
        roles,
      });
      return render(updated);
    }
    case "patch": {
      const type = PATCH_TYPES[mediaType(c.req.raw) as keyof typeof PATCH_TYPES] as PatchType | undefined;
      if (!type)
        throw new ApiError(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(", ")}`,
        );
      const body = await readBody();
      const existed =
        type === "apply"
          ? await store.get(info, ns, name!).then(
              () => true,
              () => false,
            )
          : true;
      const result = await patchObject(store, info, ns, name!, type, body, {
        dryRun: parseDryRun(q),
        fieldManager: parseFieldManager(q, c.req.header("user-agent"), type === "apply"),
        force: parseForce(q),
        subresource,
        audit,
        requester,
        roles,
        blind,
      });
      return render(result, existed ? 200 : 201);
    }
    case "delete": {
      const bytes = await readBodyBytes(c.req.raw, deps.bodyLimit);
      const body = bytes.toString("utf8").trim() === "" ? {} : parseBody(bytes, mediaType(c.req.raw));
      const opts = parseDeleteOptions(body, { propagationPolicy: q.propagationPolicy, dryRun: parseDryRun(q) });
      const { object, pending } = await deleteObject(store, info, ns, name!, { ...opts, audit, requester, roles });
      return render(object, pending ? 202 : 200);
    }
    case "deletecollection": {
      const filterFn = listFilter(path, q);
      const dryRun = parseDryRun(q);
      const page = await store.list(info, ns, { filter: filterFn });
      const deleted: StellaObject[] = [];
      for (const o of page.items as StellaObject[]) {
        await deleteObject(store, info, o.metadata.namespace, o.metadata.name!, {
          dryRun,
          propagationPolicy: q.propagationPolicy as never,
          requester,
          roles,
        }).then(
          (d) => deleted.push(present(d.object)),
          (err) => {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
          },
        );
      }
      return json({
        apiVersion: apiVersionOf(info),
        kind: `${info.kind}List`,
        metadata: { resourceVersion: String(page.rv) },
        items: deleted,
      });
    }
    default:
      throw methodNotAllowed(`${c.req.method} is not supported`);
  }
}

// Undefined without selectors: an unfiltered list is served from the cache's JSON text as is.
function listFilter(path: ResourcePath, q: Query): ((o: StellaObject) => boolean) | undefined {
  const labelReqs = parseLabelSelector(q.labelSelector);
  const fieldReqs = parseFieldSelector(q.fieldSelector, path.info);
  if (q.resourceVersionMatch && !["NotOlderThan", "Exact"].includes(q.resourceVersionMatch))
    throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(q.resourceVersionMatch)}`, [
      { reason: "FieldValueNotSupported", field: "resourceVersionMatch", message: "must be NotOlderThan or Exact" },
    ]);
  if (labelReqs.length === 0 && fieldReqs.length === 0) return undefined;
  const labels = labelMatcher(labelReqs);
  const fields = fieldMatcher(fieldReqs);
  return (o) => labels(o.metadata.labels) && fields(o);
}

/** The metadata.name a create body carries, if any. */
function nameIn(body: unknown): string | undefined {
  const name = (body as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === "string" ? name : undefined;
}
