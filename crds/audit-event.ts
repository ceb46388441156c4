// The audit query API's wire format: `GET /audit/v1/events?…` answers an AuditEventList of the
// audit log's records, newest first, one page at a time (`continue` fetches the next, older page).

/** The path of the audit query endpoint. */
export const AUDIT_EVENTS_PATH = "/audit/v1/events";

/** apiVersion of AuditEvent lists. */
export const AUDIT_API_VERSION = "audit.stella.io/v1";

/** The resource name the audit endpoint is authorized as ("list auditevents"); only admin rules cover it. */
export const AUDIT_RESOURCE = "auditevents";

/** Page size when the request names none. */
export const AUDIT_DEFAULT_LIMIT = 100;
/** The largest page the server returns; a larger `limit` is capped to it. */
export const AUDIT_MAX_LIMIT = 1000;

/** One audited request: who did what to which object, and how it ended. */
export interface AuditEvent {
  /** When the request was decided, RFC 3339 with milliseconds. */
  time: string;
  user: string;
  verb: string;
  /** Resource plural, e.g. `promotions`. */
  resource: string;
  /** e.g. `status`, `approval`; absent for the resource itself. */
  subresource?: string;
  /** "" for cluster-scoped resources. */
  namespace: string;
  name: string;
  /** The HTTP status code of the answer. */
  code: number;
  outcome: "success" | "failure";
  /** The `audit-id` response header of the request. */
  requestId?: string;
  dryRun?: boolean;
}

/** One page of audit events, newest first. */
export interface AuditEventList {
  apiVersion: typeof AUDIT_API_VERSION;
  kind: "AuditEventList";
  /** `continue`: pass it back to get the next (older) page; absent on the last page. */
  metadata: { continue?: string };
  items: AuditEvent[];
}

/**
 * The query parameters of the endpoint. `resource` is a plural, or `plural/subresource` for one
 * subresource only; `since` (inclusive) and `until` (exclusive) are RFC 3339 timestamps; an absent
 * `namespace` means every namespace (cluster admins only).
 */
export interface AuditEventQuery {
  user?: string;
  namespace?: string;
  resource?: string;
  name?: string;
  verb?: string;
  since?: string;
  until?: string;
  limit?: number;
  continue?: string;
}
