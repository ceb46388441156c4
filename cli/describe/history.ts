// An object's recent history, from what it carries: its creation, each manager's last write
// (managedFields: time, manager, operation, the parts it wrote), condition transitions
// (lastTransitionTime) and a requested deletion, oldest first.
import type { Condition, StellaObject } from "../../crds/meta.ts";

/** One moment in an object's life. */
export interface HistoryEntry {
  time: string;
  what: string;
}

/** The top-level parts a managedFields entry covers, e.g. "spec, metadata". */
function partsOf(fieldsV1: unknown): string {
  const parts = Object.keys((fieldsV1 as Record<string, unknown> | undefined) ?? {})
    .filter((k) => k.startsWith("f:"))
    .map((k) => k.slice(2));
  return parts.length ? parts.join(", ") : "fields";
}

/** The history of `obj`, oldest first, at most `limit` latest entries. */
export function historyOf(obj: StellaObject, limit = 10): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  const meta = obj.metadata;
  if (meta.creationTimestamp) out.push({ time: meta.creationTimestamp, what: "created" });
  for (const m of meta.managedFields ?? []) {
    if (!m.time) continue;
    const sub = m.subresource ? ` (${m.subresource})` : "";
    out.push({
      time: m.time,
      what: `${m.manager ?? "unknown manager"} ${m.operation === "Apply" ? "applied" : "wrote"} ${partsOf(m.fieldsV1)}${sub}`,
    });
  }
  const conditions = ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
  for (const c of conditions) {
    if (!c.lastTransitionTime) continue;
    out.push({
      time: c.lastTransitionTime,
      what: `condition ${c.type} became ${c.status}${c.reason ? ` (${c.reason})` : ""}`,
    });
  }
  if (meta.deletionTimestamp) out.push({ time: meta.deletionTimestamp, what: "deletion requested" });
  // Stable sort keeps "created" ahead of writes stamped with the same second.
  return out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).slice(-limit);
}
