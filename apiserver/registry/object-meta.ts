// Server-owned metadata: what a create fills in, what an update must keep, when generation moves.
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { badRequest, type StatusCause } from "../../crds/errors.ts";
import type { ObjectMeta, StellaObject } from "../../crds/meta.ts";

const GENERATE_SUFFIX = "bcdfghjklmnpqrstvwxz2456789";

/** A five-character random suffix for generateName, from Kubernetes' consonant-heavy alphabet. */
export function nameSuffix(): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += GENERATE_SUFFIX[Math.floor(Math.random() * GENERATE_SUFFIX.length)];
  return s;
}

/** Deep copy of a JSON object. */
export const clone = <T>(v: T): T => structuredClone(v);

/** Everything but metadata and status: a change here bumps generation. */
function specPart(obj: StellaObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Whether an update changes the desired state (and so bumps metadata.generation). */
export const specChanged = (oldObj: StellaObject, newObj: StellaObject): boolean =>
  !isDeepStrictEqual(specPart(oldObj), specPart(newObj));

/** Fills in the server-owned metadata of a new object. */
export function prepareCreateMeta(obj: StellaObject, namespace: string | undefined, now: Date): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${nameSuffix()}`;
  if (namespace !== undefined) meta.namespace = namespace;
  meta.uid = randomUUID();
  meta.creationTimestamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
}

/** Causes for a request body whose identity disagrees with the URL. */
export function identityCauses(
  meta: ObjectMeta,
  namespace: string | undefined,
  name: string | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (name !== undefined && meta.name !== undefined && meta.name !== name)
    causes.push({
      reason: "FieldValueInvalid",
      field: "metadata.name",
      message: `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
    });
  if (namespace !== undefined && meta.namespace !== undefined && meta.namespace !== namespace)
    causes.push({
      reason: "FieldValueInvalid",
      field: "metadata.namespace",
      message: `the namespace of the object (${meta.namespace}) does not match the namespace on the request (${namespace})`,
    });
  return causes;
}

/** Throws 400 when body and URL disagree on name or namespace. */
export function checkIdentity(meta: ObjectMeta, namespace: string | undefined, name: string | undefined): void {
  const causes = identityCauses(meta, namespace, name);
  if (causes.length > 0) throw badRequest(causes[0].message, causes);
}

/**
 * Carries the server-owned metadata of `oldObj` into `next` (an update's incoming object):
 * identity, timestamps and generation; generation moves when the spec changed.
 */
export function preserveServerMeta(oldObj: StellaObject, next: StellaObject): void {
  const o = oldObj.metadata;
  const m = next.metadata;
  m.name = o.name;
  m.namespace = o.namespace;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  m.generation = (o.generation ?? 1) + (specChanged(oldObj, next) ? 1 : 0);
  delete m.resourceVersion;
}

/** Causes for finalizers added to an object that is already being deleted. */
export function finalizerCauses(oldObj: StellaObject, next: StellaObject): StatusCause[] {
  if (!oldObj.metadata.deletionTimestamp) return [];
  const before = new Set(oldObj.metadata.finalizers ?? []);
  const added = (next.metadata.finalizers ?? []).filter((f) => !before.has(f));
  return added.length === 0
    ? []
    : [
        {
          reason: "FieldValueForbidden",
          field: "metadata.finalizers",
          message: `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        },
      ];
}

/** Whether an object being deleted has nothing left holding it. */
export const readyToRemove = (obj: StellaObject): boolean =>
  !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0;
