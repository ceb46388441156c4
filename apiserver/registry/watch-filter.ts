// Turns storage events into the events a filtered watch sees. With a selector, an object that
// stops matching is DELETED for that watcher and one that starts matching is ADDED, as in Kubernetes.
import type { StellaObject } from "../../crds/meta.ts";
import type { EventType, StorageEvent } from "../storage/types.ts";

/** An event as the API sends it. */
export interface WatchEvent {
  type: EventType;
  object: StellaObject;
  rv: number;
}

/** Maps a storage event through a predicate; undefined means the watcher does not see it. */
export function filterEvent(event: StorageEvent, matches: (o: StellaObject) => boolean): WatchEvent | undefined {
  const object = event.object as StellaObject;
  const prev = event.prev as StellaObject | null;
  switch (event.type) {
    case "ADDED":
      return matches(object) ? { type: "ADDED", object, rv: event.rv } : undefined;
    case "DELETED":
      return matches(object) || (prev !== null && matches(prev))
        ? { type: "DELETED", object, rv: event.rv }
        : undefined;
    case "MODIFIED": {
      const now = matches(object);
      const before = prev !== null && matches(prev);
      if (now && before) return { type: "MODIFIED", object, rv: event.rv };
      if (now) return { type: "ADDED", object, rv: event.rv };
      if (before) return { type: "DELETED", object, rv: event.rv };
      return undefined;
    }
  }
}
