// The Events section of `stella describe`, as kubectl prints it: the object's events oldest first,
// TYPE REASON AGE FROM MESSAGE, and `AGE (xN over FIRST)` for an event seen N times.
import { eventKind, firstSeen, lastSeen, type Event } from "../../crds/event.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { humanAge } from "../../crds/age.ts";
import type { Client } from "../../sdk/client.ts";
import { alignColumns } from "../output/columns.ts";

/** The core v1 events about `obj`, selected as kubectl describe selects them (name, namespace, kind, uid). */
export async function eventsOf(client: Client, obj: StellaObject): Promise<Event[]> {
  const m = obj.metadata;
  const terms = [`name=${m.name}`, `namespace=${m.namespace ?? ""}`, `kind=${obj.kind}`];
  if (m.uid) terms.push(`uid=${m.uid}`);
  const fieldSelector = terms.map((t) => `involvedObject.${t}`).join(",");
  const list = await client.resource<Event>(eventKind).listAll({ namespace: m.namespace, fieldSelector });
  return list.items;
}

/** The lines of the Events section (title included); `<none>` without events. */
export function eventLines(events: readonly Event[], now = Date.now()): string[] {
  if (events.length === 0) return ["Events:       <none>"];
  const sorted = [...events].sort((a, b) => Date.parse(lastSeen(a) ?? "") - Date.parse(lastSeen(b) ?? ""));
  const rows = sorted.map((e) => {
    const age = humanAge(lastSeen(e), now);
    const count = e.series?.count ?? e.count ?? 1;
    const interval = count > 1 ? `${age} (x${count} over ${humanAge(firstSeen(e), now)})` : age;
    const from = e.source?.component || e.reportingComponent || "";
    return [e.type ?? "", e.reason ?? "", interval, from, e.message ?? ""];
  });
  return ["Events:", ...alignColumns([["TYPE", "REASON", "AGE", "FROM", "MESSAGE"], ...rows]).map((l) => "  " + l)];
}
