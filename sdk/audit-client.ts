// Reading the audit log through GET /audit/v1/events (admins; namespace admins for their namespace).
import {
  AUDIT_EVENTS_PATH,
  AUDIT_MAX_LIMIT,
  type AuditEvent,
  type AuditEventList,
  type AuditEventQuery,
} from "../crds/audit-event.ts";
import type { Transport } from "./transport.ts";

/** One page of audit events matching `query`, newest first. */
export function auditEventPage(
  transport: Transport,
  query: AuditEventQuery,
  signal?: AbortSignal,
): Promise<AuditEventList> {
  return transport.request<AuditEventList>({ method: "GET", path: AUDIT_EVENTS_PATH, query: { ...query }, signal });
}

/**
 * Up to `max` events matching `query`, newest first, following `continue` across pages; `more`
 * says whether older matching events were left out.
 */
export async function auditEvents(
  transport: Transport,
  query: Omit<AuditEventQuery, "limit" | "continue">,
  max: number,
  signal?: AbortSignal,
): Promise<{ events: AuditEvent[]; more: boolean }> {
  const events: AuditEvent[] = [];
  let next: string | undefined;
  do {
    const page = await auditEventPage(
      transport,
      { ...query, limit: Math.min(max - events.length, AUDIT_MAX_LIMIT), continue: next },
      signal,
    );
    events.push(...page.items);
    next = page.metadata.continue;
  } while (next && events.length < max);
  return { events, more: next !== undefined };
}
