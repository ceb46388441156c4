// spec.requestedBy, a server-owned field of kinds a person asks for (Promotion, Deployment): set
// from the creating caller's token on create, whatever was sent, and never changed after — an
// update that changes or drops it gets the stored value back.
import type { StellaObject, UserInfo } from "../../../crds/meta.ts";

type Spec = { requestedBy?: UserInfo } & Record<string, unknown>;

/** Sets spec.requestedBy of new object `obj` to `requester` (left alone for in-process writes without a caller). */
export function setRequestedBy(obj: StellaObject, requester: UserInfo | undefined): void {
  if (!requester) return;
  const spec = (obj.spec ?? {}) as Spec;
  spec.requestedBy = requester.groups?.length
    ? { username: requester.username, groups: [...requester.groups] }
    : { username: requester.username };
  obj.spec = spec;
}

/** Carries spec.requestedBy of stored object `old` over to update `next`. */
export function keepRequestedBy(next: StellaObject, old: StellaObject): void {
  const was = (old.spec as Spec | undefined)?.requestedBy;
  const spec = next.spec as Spec | undefined;
  if (!spec || typeof spec !== "object") return;
  if (was === undefined) delete spec.requestedBy;
  else spec.requestedBy = was;
}
