// `get -w`: print the list (unless --watch-only), then every change as it happens, resuming
// after a cut connection and listing again after 410 Gone. Runs until interrupted, or until the
// watch cannot go on (WatchEndedError, exit 1).
import type { KindInfo } from "../../crds/scheme-types.ts";
import { resourcePath } from "../../sdk/resource-path.ts";
import type { OutputFormat } from "../output/objects.ts";
import { reportNote } from "../output/report.ts";
import { TABLE_ACCEPT, type ServerTable, type TableView } from "../output/server-table.ts";
import type { Session } from "../session.ts";
import { fetchObjects, fetchTable, type Selection } from "./fetch.ts";
import { resumingWatch } from "./resuming-watch.ts";
import { WatchPrinter } from "./watch-printer.ts";

/** How long a watch keeps trying to reconnect (STELLA_WATCH_RECONNECT_SECONDS, default 30). */
export const reconnectWindowMs = (env: Record<string, string | undefined> = process.env): number => {
  const s = Number(env.STELLA_WATCH_RECONNECT_SECONDS);
  return (Number.isFinite(s) && s > 0 ? s : 30) * 1000;
};

/** What `get -w` watches and prints. */
export interface WatchGet {
  info: KindInfo;
  selection: Selection;
  /** At most one name: watched through a metadata.name field selector. */
  name?: string;
  format: OutputFormat;
  view: TableView & { noHeaders?: boolean };
  watchOnly: boolean;
}

/** Lists, then streams changes until the process is interrupted. */
export async function watchGet(session: Session, w: WatchGet): Promise<never> {
  const byName = w.name ? `metadata.name=${w.name}` : undefined;
  const sel: Selection = {
    ...w.selection,
    fieldSelector: [w.selection.fieldSelector, byName].filter(Boolean).join(",") || undefined,
  };
  const tables = w.format.kind === "table" || w.format.kind === "wide";
  const printer = new WatchPrinter(w.info, w.format, w.view);
  const list = async (print: boolean): Promise<string> => {
    if (tables) {
      const t = (await fetchTable(session.client, w.info, sel, [])).result as ServerTable;
      if (print) printer.table(t);
      else printer.columnsOf(t);
      return t.metadata.resourceVersion ?? "";
    }
    const { result } = await fetchObjects(session.client, w.info, sel, []);
    if (print) printer.objects(result.items);
    return result.resourceVersion;
  };
  const events = resumingWatch({
    transport: session.client.transport,
    path: resourcePath(w.info, sel.namespace),
    query: { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector },
    accept: tables ? TABLE_ACCEPT : undefined,
    resourceVersion: await list(!w.watchOnly),
    relist: () => list(true),
    note: (m) => reportNote("get", m),
    reconnectWindowMs: reconnectWindowMs(),
  });
  for await (const ev of events) {
    if (tables) printer.table(ev.object as unknown as ServerTable);
    else printer.objects([ev.object]);
  }
  // resumingWatch only returns when aborted, and nothing aborts it.
  throw new Error("the watch ended");
}
