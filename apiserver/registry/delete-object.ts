// DELETE: preconditions, finalizers, and the propagation policy that tells the garbage
// collector what to do with dependents (Background, Foreground, Orphan).
import { badRequest, conflict, forbidden, isConflict } from "../../crds/errors.ts";
import type { StellaObject, UserInfo } from "../../crds/meta.ts";
import { kindByKind } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { AuditContext } from "./audit-context.ts";
import { errorTarget } from "./keys.ts";
import { clone } from "./object-meta.ts";
import type { Store } from "./store.ts";

/** Finalizer that holds an owner until its dependents are gone (foreground deletion). */
export const FOREGROUND_FINALIZER = "foregroundDeletion";
/** Finalizer that holds an owner until its dependents no longer point at it (orphan deletion). */
export const ORPHAN_FINALIZER = "orphan";

export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

/** The DeleteOptions Stella honours. */
export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  /** The request's audit record, committed with the write. */
  audit?: AuditContext;
  /** Who is asking and their roles in the namespace, for admission (strategy.ts); undefined in-process. */
  requester?: UserInfo;
  roles?: readonly string[];
}

/** Checks the body of a DELETE (metav1.DeleteOptions) and returns what Stella uses of it. */
export function parseDeleteOptions(
  body: unknown,
  query: { propagationPolicy?: string; dryRun?: boolean },
): DeleteOptions {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const policy = (b.propagationPolicy ??
    query.propagationPolicy ??
    (b.orphanDependents === true ? "Orphan" : undefined)) as string | undefined;
  if (policy !== undefined && !["Background", "Foreground", "Orphan"].includes(policy))
    throw badRequest(`propagationPolicy must be Background, Foreground or Orphan, not ${JSON.stringify(policy)}`, [
      {
        reason: "FieldValueNotSupported",
        field: "propagationPolicy",
        message: `Unsupported value: ${JSON.stringify(policy)}`,
      },
    ]);
  const dryRunBody = Array.isArray(b.dryRun) && b.dryRun.includes("All");
  return {
    propagationPolicy: policy as PropagationPolicy | undefined,
    preconditions: (b.preconditions ?? undefined) as DeleteOptions["preconditions"],
    dryRun: query.dryRun || dryRunBody,
  };
}

const policyFinalizer = (p: PropagationPolicy | undefined) =>
  p === "Foreground" ? FOREGROUND_FINALIZER : p === "Orphan" ? ORPHAN_FINALIZER : undefined;

/**
 * Deletes an object, or marks it for deletion while finalizers hold it. Returns the object as
 * it ends up: gone (with the delete's resourceVersion) or carrying deletionTimestamp.
 */
export async function deleteObject(
  store: Store,
  info: KindInfo,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions,
): Promise<{ object: StellaObject; pending: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.get(info, namespace, name);
    const t = errorTarget(info, name);
    const refusal = await store.strategy(info).forbidDelete?.(current, (kind, ns) => containsKind(store, kind, ns));
    if (refusal) throw forbidden(refusal, t);
    const admission = store.admission("delete", namespace, opts, { old: current });
    await store.strategy(info).admit?.(admission);
    const admitted = async (out: { object: StellaObject; pending: boolean }) => {
      await store.afterCommit(info, admission, out.object);
      return out;
    };
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid)
      throw conflict(
        t,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
      throw conflict(
        t,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    const finalizers = [...(current.metadata.finalizers ?? [])];
    const extra = policyFinalizer(opts.propagationPolicy);
    if (extra && !finalizers.includes(extra)) finalizers.push(extra);
    if (finalizers.length === 0) {
      if (opts.dryRun) return { object: current, pending: false };
      try {
        const object = await store.writeDelete(
          info,
          namespace,
          name,
          Number(current.metadata.resourceVersion),
          opts.audit,
        );
        return admitted({ object, pending: false });
      } catch (err) {
        if (attempt < 5 && isConflict(err)) continue;
        throw err;
      }
    }
    if (current.metadata.deletionTimestamp && finalizers.length === (current.metadata.finalizers ?? []).length)
      return { object: current, pending: true };
    const next = clone(current);
    next.metadata.deletionTimestamp ??= new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    next.metadata.deletionGracePeriodSeconds ??= 0;
    next.metadata.finalizers = finalizers;
    if (opts.dryRun) return { object: next, pending: true };
    try {
      const object = await store.writeUpdate(
        info,
        namespace,
        next,
        Number(current.metadata.resourceVersion),
        opts.audit,
        202,
      );
      return admitted({ object, pending: true });
    } catch (err) {
      if (attempt < 5 && isConflict(err)) continue;
      throw err;
    }
  }
}

/** Whether `namespace` holds any object of `kind`. */
async function containsKind(store: Store, kind: string, namespace: string): Promise<boolean> {
  const info = kindByKind(kind);
  return info !== undefined && (await store.list(info, namespace, { limit: 1 })).items.length > 0;
}
