// A watch over HTTP: newline-delimited JSON events streamed on one response. Handles initial
// events (resourceVersion 0/unset, sendInitialEvents), bookmarks, 410 Gone as an ERROR event,
// the watch timeout, slow clients and shutdown.
import { gone, unavailable } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { apiVersionOf } from "../../crds/scheme.ts";
import type { Store } from "../registry/store.ts";
import { filterEvent } from "../registry/watch-filter.ts";
import { isStorageError, type Watch } from "../storage/types.ts";
import type { HttpDeps } from "./deps.ts";
import { toTable } from "./table.ts";
import { WatchBody, watchBodyResponse } from "./watch-body.ts";

/** What a watch request asked for. */
export interface WatchRequest {
  info: KindInfo;
  namespace?: string;
  /** Label and field selectors; undefined: every object. */
  filter?: (o: StellaObject) => boolean;
  /** undefined or 0: start with the current state as ADDED events. */
  sinceRV?: number;
  sendInitialEvents: boolean;
  bookmarks: boolean;
  timeoutSeconds: number;
  table: boolean;
  includeObject?: string;
  /** How the caller may see each object (content-access.ts); whole when absent. */
  present?: (o: StellaObject) => StellaObject;
}

const encoder = new TextEncoder();

// Every watch of a resource receives the same event object: serialized and UTF-8 encoded once,
// the same bytes written to every watcher (with 100 watchers, serializing per watcher was most of
// the CPU of a write).
const lines = new WeakMap<object, { type: string; bytes: Uint8Array }>();

function sharedLine(type: string, obj: object): Uint8Array {
  const known = lines.get(obj);
  if (known?.type === type) return known.bytes;
  const bytes = encoder.encode(JSON.stringify({ type, object: obj }) + "\n");
  lines.set(obj, { type, bytes });
  return bytes;
}
const line = (type: string, obj: unknown) => encoder.encode(JSON.stringify({ type, object: obj }) + "\n");
/** A client that falls this many bytes behind is cut off and must re-watch. */
const MAX_BUFFERED = 16 * 1024 * 1024;

/** Opens a watch and returns the streaming response. Errors before the first byte are thrown. */
export async function watchResponse(deps: HttpDeps, store: Store, req: WatchRequest): Promise<Response> {
  const { info } = req;
  let watch: Watch | undefined;
  const timers: { timeout?: NodeJS.Timeout } = {};
  let closed = false;
  let first = true;
  const body = new WatchBody(() => end());

  const render = (type: string, shown: StellaObject | Record<string, unknown>): Uint8Array => {
    const obj = req.present && type !== "ERROR" && type !== "BOOKMARK" ? req.present(shown as StellaObject) : shown;
    if (req.table && type !== "ERROR" && type !== "BOOKMARK") {
      const t = toTable(info, [obj as StellaObject], {
        resourceVersion: String((obj as StellaObject).metadata?.resourceVersion ?? ""),
        includeObject: req.includeObject,
        withColumns: first,
      });
      first = false;
      return line(type, t);
    }
    return obj === shown ? sharedLine(type, obj) : line(type, obj);
  };
  const send = (bytes: Uint8Array) => {
    if (closed) return;
    body.push(bytes);
    if (body.backlog > MAX_BUFFERED) end();
  };
  const bookmark = (rv: number, extra: Record<string, string> = {}) =>
    send(
      render("BOOKMARK", {
        kind: info.kind,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion: String(rv), ...(Object.keys(extra).length ? { annotations: extra } : {}) },
      }),
    );
  const open = { end: () => end() };
  const end = () => {
    if (closed) return;
    closed = true;
    watch?.close();
    if (timers.timeout) clearTimeout(timers.timeout);
    deps.watches.delete(open);
    deps.metrics.watchDelta(info.plural, -1);
    body.end();
  };

  let since = req.sinceRV ?? 0;
  const initial: StellaObject[] = [];
  if (since === 0 || req.sendInitialEvents) {
    let cont: string | undefined;
    do {
      const page = await store.list(info, req.namespace, { filter: req.filter, limit: 1000, continue: cont });
      initial.push(...(page.items as StellaObject[]));
      cont = page.continue;
      since = page.rv;
    } while (cont);
  }
  // Initial events go out before anything the watch delivers.
  for (const o of initial) send(render("ADDED", o));
  if (req.sendInitialEvents && req.bookmarks) bookmark(since, { "k8s.io/initial-events-end": "true" });
  try {
    watch = await store.watch(
      info,
      { resource: info.plural, namespace: info.namespaced ? req.namespace : undefined, sinceRV: since },
      {
        onEvent: (e) => {
          const ev = req.filter ? filterEvent(e, req.filter) : e;
          if (ev) send(render(ev.type, ev.object));
        },
        onProgress: (rv) => req.bookmarks && bookmark(rv),
        onError: (err) => {
          const status = err.code === "Expired" ? gone(err.message) : unavailable(`watch ended: ${err.message}`);
          send(render("ERROR", { ...status.toStatus() }));
          end();
        },
      },
    );
  } catch (err) {
    if (!isStorageError(err, "Expired")) throw err;
    // Kubernetes answers 200 and a single ERROR event carrying the 410 Status.
    const text =
      JSON.stringify({
        type: "ERROR",
        object: gone(`too old resource version: ${since} (${err.message})`).toStatus(),
      }) + "\n";
    return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
  }
  deps.watches.add(open);
  deps.metrics.watchDelta(info.plural, 1);
  timers.timeout = setTimeout(end, req.timeoutSeconds * 1000);
  timers.timeout.unref();
  return watchBodyResponse(body, {
    status: 200,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-cache, private",
      "transfer-encoding": "chunked",
    },
  });
}
