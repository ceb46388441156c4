// Preact hooks over watchList: a live collection, or one live object by name.
import { useEffect, useState } from "preact/hooks";
import { collectionPath } from "./api.ts";
import { watchList, type Obj, type Stored } from "./watch.ts";

/** The live state of a watched collection. */
export interface Live<T extends Obj> {
  items: Stored<T>[];
  loaded: boolean;
  error?: string;
}

/** Follows `plural` in `ns`, optionally narrowed to one name. */
export function useWatch<T extends Obj>(ns: string, plural: string, name?: string): Live<T> {
  return useWatchSelected<T>(ns, plural, name ? `metadata.name=${name}` : undefined);
}

/** Follows the objects of `plural` in `ns` that match `fieldSelector` (all of them without one). */
export function useWatchSelected<T extends Obj>(ns: string, plural: string, fieldSelector?: string): Live<T> {
  const [state, setState] = useState<Live<T>>({ items: [], loaded: false });
  useEffect(() => {
    setState({ items: [], loaded: false });
    const selector = fieldSelector ? `?fieldSelector=${encodeURIComponent(fieldSelector)}` : "";
    return watchList<T>(`${collectionPath(ns, plural)}${selector}`, {
      items: (items) => setState({ items, loaded: true }),
      error: (err) => setState((s) => ({ ...s, error: err.message })),
    });
  }, [ns, plural, fieldSelector]);
  return state;
}

/** Follows one object; `object` is undefined until it is loaded (or when it does not exist). */
export function useObject<T extends Obj>(ns: string, plural: string, name: string) {
  const live = useWatch<T>(ns, plural, name);
  return { object: live.items[0], loaded: live.loaded, error: live.error };
}
