// Audit records hold what a request carried (names from URLs and bodies, user names), and the
// audit log must be able to store any of it: PostgreSQL text can not hold NUL, and a lone UTF-16
// surrogate is not UTF-8. Such characters are written as visible escapes instead, so the record
// is kept and still shows what was sent; very long values are cut to a bound.
import type { AuditRecord } from "./types.ts";

/** The longest text an audit field keeps (a URL can carry far more than any valid name). */
export const MAX_AUDIT_TEXT = 1024;

// Control characters (C0, DEL, C1), lone surrogates, and the backslash that starts an escape.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (ch: string) => (ch === "\\" ? "\\\\" : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** `text` safe to store: unsafe characters escaped as `\uXXXX` (a backslash as `\\`), cut to MAX_AUDIT_TEXT. */
export function auditText(text: string): string {
  const escaped = text.length > MAX_AUDIT_TEXT * 6 ? text.slice(0, MAX_AUDIT_TEXT * 6) : text;
  const safe = escaped.replace(UNSAFE, escape);
  return safe.length > MAX_AUDIT_TEXT ? `${safe.slice(0, MAX_AUDIT_TEXT - 3)}...` : safe;
}

/** A record whose every text field is safe to store. */
export function sanitizeAuditRecord(r: AuditRecord): AuditRecord {
  const out: AuditRecord = {
    ...r,
    user: auditText(r.user),
    verb: auditText(r.verb),
    resource: auditText(r.resource),
    namespace: auditText(r.namespace),
    name: auditText(r.name),
  };
  if (r.subresource !== undefined) out.subresource = auditText(r.subresource);
  if (r.requestId !== undefined) out.requestId = auditText(r.requestId);
  return out;
}

// Only printable ASCII survives in a minimal record: nothing in it can be refused by any encoding.
const printable = (text: string) =>
  auditText(text).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * The last resort for a record the database refused even after sanitizing: who, what and the
 * outcome in printable ASCII, the time of now if the given one is not a time, and the code
 * clamped to an HTTP status. It says less, but it is written.
 */
export function minimalAuditRecord(r: AuditRecord, now = new Date()): AuditRecord {
  const time = Number.isNaN(Date.parse(r.time)) ? now.toISOString() : new Date(r.time).toISOString();
  const code = Number.isInteger(r.code) && r.code >= 100 && r.code <= 599 ? r.code : 500;
  const out: AuditRecord = {
    time,
    user: printable(String(r.user)),
    verb: printable(String(r.verb)),
    resource: printable(String(r.resource)),
    namespace: printable(String(r.namespace)),
    name: printable(String(r.name)),
    code,
    outcome: r.outcome === "success" ? "success" : "failure",
  };
  if (r.requestId !== undefined) out.requestId = printable(String(r.requestId));
  return out;
}
