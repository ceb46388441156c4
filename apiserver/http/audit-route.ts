// GET /audit/v1/events: the audit log, newest first, paged, filtered by user, namespace, resource,
// name, verb and time. Authorized as "list auditevents": no role but admin has a rule for it, so
// an admin of every namespace may read everything, and an admin of one namespace (a namespaced
// grant or RoleBinding) may read that namespace's records by passing `namespace`.
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, AUDIT_RESOURCE } from "../../crds/audit-event.ts";
import { badRequest } from "../../crds/errors.ts";
import { timestamp } from "../../crds/meta.ts";
import { auditEvents } from "../registry/audit-events.ts";
import type { AuditPageQuery } from "../storage/types.ts";
import type { Caller, HttpDeps } from "./deps.ts";
import { parseCount, type Query } from "./request-options.ts";

const fail = (param: string, message: string) =>
  badRequest(`${param}: ${message}`, [{ reason: "FieldValueInvalid", field: param, message }]);

const PARAMS = new Set(["user", "namespace", "resource", "name", "verb", "since", "until", "limit", "continue"]);

/** The storage query of the endpoint's query string; 400 naming a bad or unknown parameter. */
export function parseAuditQuery(q: Query): AuditPageQuery {
  for (const key of Object.keys(q))
    if (!PARAMS.has(key)) throw fail(key, `unknown parameter; supported: ${[...PARAMS].join(", ")}`);
  const text = (name: string) => (q[name] === undefined || q[name] === "" ? undefined : q[name]);
  const time = (name: string) => {
    const v = text(name);
    if (v !== undefined && !timestamp.safeParse(v).success)
      throw fail(name, `must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, not ${JSON.stringify(v)}`);
    return v;
  };
  const [resource, subresource, extra] = (text("resource") ?? "").split("/");
  if (extra !== undefined || (subresource !== undefined && (!resource || !subresource)))
    throw fail(
      "resource",
      `must be a resource (promotions) or resource/subresource (promotions/approval), not ${JSON.stringify(q.resource)}`,
    );
  const limit = parseCount(q, "limit") || AUDIT_DEFAULT_LIMIT;
  const query: AuditPageQuery = {
    user: text("user"),
    namespace: text("namespace"),
    resource: resource || undefined,
    subresource,
    name: text("name"),
    verb: text("verb"),
    since: time("since"),
    until: time("until"),
    limit: Math.min(limit, AUDIT_MAX_LIMIT),
    continue: text("continue"),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as AuditPageQuery;
}

/** Serves one page of audit events to a caller allowed to list them in the namespace asked for (all when none). */
export async function auditEventsResponse(deps: HttpDeps, caller: Caller, q: Query): Promise<Response> {
  const query = parseAuditQuery(q);
  await deps.authorize(caller, { verb: "list", resource: AUDIT_RESOURCE, namespace: query.namespace ?? "" });
  const list = await auditEvents(deps.store.storage, query);
  return new Response(JSON.stringify(list), { headers: { "content-type": "application/json" } });
}
