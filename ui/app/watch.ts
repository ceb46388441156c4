// A live list of objects, following the Kubernetes watch API the way an informer does: list,
// then watch from the list's resourceVersion over one streamed response (newline-delimited JSON
// events); after a cut, resume from the last resourceVersion seen; on 410 Gone, list again.
// Nothing polls: a change reaches the page as soon as the server streams it.
import { ApiFailure, api, authHeaders, failure } from "./api.ts";

/** What a watched object needs. */
export interface Obj {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
}

/** An object as the server answers it: always named, always versioned. */
export type Stored<T extends Obj> = T & { metadata: { name: string; resourceVersion: string } };

interface List<T> {
  metadata: { resourceVersion: string };
  items: T[];
}

interface WatchEvent<T extends Obj> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Stored<T> & { code?: number };
}

/** How the list changes are reported: every time, the whole list, sorted by name. */
export interface WatchHandlers<T extends Obj> {
  items(items: Stored<T>[]): void;
  error(err: ApiFailure | Error): void;
}

const RETRY_MS = [250, 500, 1000, 2000, 5000];

/** Follows the collection at `path` (which may carry a fieldSelector); returns a function that stops it. */
export function watchList<T extends Obj>(path: string, on: WatchHandlers<T>): () => void {
  const stop = new AbortController();
  const objects = new Map<string, Stored<T>>();
  let resourceVersion = "";
  const emit = () => on.items([...objects.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)));
  const sep = path.includes("?") ? "&" : "?";

  async function list() {
    const l = await api<List<Stored<T>>>("GET", path);
    objects.clear();
    for (const o of l.items) objects.set(o.metadata.name, o);
    resourceVersion = l.metadata.resourceVersion;
    emit();
  }

  /** Streams events until the server ends the watch; false when the resourceVersion is gone (410). */
  async function follow(): Promise<boolean> {
    const url = `${path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`;
    const res = await fetch(url, { headers: { accept: "application/json", ...authHeaders() }, signal: stop.signal });
    if (res.status === 410) return false;
    if (!res.ok || !res.body) throw await failure(res);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffered += value;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      let changed = false;
      for (const line of lines) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as WatchEvent<T>;
        if (event.type === "ERROR") {
          if (event.object.code === 410) return false;
          throw new Error(String((event.object as { message?: string }).message ?? "watch error"));
        }
        resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
        if (event.type === "BOOKMARK") continue;
        if (event.type === "DELETED") objects.delete(event.object.metadata.name);
        else objects.set(event.object.metadata.name, event.object);
        changed = true;
      }
      if (changed) emit();
    }
  }

  void (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        if (!resourceVersion) await list();
        if (!(await follow())) resourceVersion = "";
        failures = 0;
      } catch (err) {
        if (stop.signal.aborted) return;
        if (err instanceof ApiFailure && (err.code === 401 || err.code === 403)) return on.error(err);
        on.error(err as Error);
        await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]));
      }
    }
  })();
  // A document being left must give its streams back at once: HTTP/1.1 allows six connections
  // per origin, and the next page's own request would otherwise wait behind this page's watches.
  const leave = () => stop.abort();
  window.addEventListener("pagehide", leave);
  return () => {
    window.removeEventListener("pagehide", leave);
    stop.abort();
  };
}
