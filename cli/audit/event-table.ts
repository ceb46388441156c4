// `stella audit` output: one aligned row per audit event, newest first.
import type { AuditEvent } from "../../crds/audit-event.ts";
import { alignColumns } from "../output/columns.ts";

/** The table's header. */
export const AUDIT_COLUMNS = ["TIME", "USER", "VERB", "RESOURCE", "NAMESPACE", "NAME", "CODE"] as const;

/** `events` as table lines (header first); times to the second in UTC, a subresource as `plural/sub`. */
export function auditTable(events: readonly AuditEvent[]): string[] {
  const rows = events.map((e) => [
    e.time.replace(/\.\d+Z$/, "Z"),
    e.user,
    e.dryRun ? `${e.verb} (dry run)` : e.verb,
    e.subresource ? `${e.resource}/${e.subresource}` : e.resource,
    e.namespace || "<none>",
    e.name || "<none>",
    String(e.code),
  ]);
  return alignColumns([[...AUDIT_COLUMNS], ...rows]);
}
