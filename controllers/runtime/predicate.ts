// Predicates filter informer events before they become requests. A predicate that does not
// define a hook lets that kind of event through.
import type { StellaObject } from "../../crds/meta.ts";

/** Decides, per event, whether it should enqueue anything. */
export interface Predicate<T extends StellaObject = StellaObject> {
  create?(obj: T): boolean;
  update?(old: T, obj: T): boolean;
  delete?(obj: T): boolean;
}

/** Lets updates through only when metadata.generation changed (spec edits, not status writes). */
export function generationChanged<T extends StellaObject>(): Predicate<T> {
  return { update: (old, obj) => old.metadata.generation !== obj.metadata.generation };
}

/** Lets updates through only when the labels changed. */
export function labelsChanged<T extends StellaObject>(): Predicate<T> {
  return { update: (old, obj) => !sameRecord(old.metadata.labels, obj.metadata.labels) };
}

/** Lets updates through only when the annotations changed. */
export function annotationsChanged<T extends StellaObject>(): Predicate<T> {
  return { update: (old, obj) => !sameRecord(old.metadata.annotations, obj.metadata.annotations) };
}

/** Passes an event when any of `preds` passes it. */
export function or<T extends StellaObject>(...preds: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => preds.some((p) => p.create?.(o) ?? true),
    update: (a, b) => preds.some((p) => p.update?.(a, b) ?? true),
    delete: (o) => preds.some((p) => p.delete?.(o) ?? true),
  };
}

/** Whether every predicate lets the event through (all of `preds` must agree). */
export const passes = {
  create: <T extends StellaObject>(preds: Predicate<T>[], obj: T) => preds.every((p) => p.create?.(obj) ?? true),
  update: <T extends StellaObject>(preds: Predicate<T>[], old: T, obj: T) =>
    preds.every((p) => p.update?.(old, obj) ?? true),
  delete: <T extends StellaObject>(preds: Predicate<T>[], obj: T) => preds.every((p) => p.delete?.(obj) ?? true),
};

function sameRecord(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
