// PATCH in all four flavours: JSON patch, JSON merge patch, strategic merge patch (for Stella's
// kinds, which declare no patch strategies, a merge patch) and server-side apply.
import { badRequest, conflict, isAlreadyExists, isNotFound, type ApiError } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { errorTarget } from "./keys.ts";
import { checkIdentity } from "./object-meta.ts";
import { ApplyConflictError, serverSideApply } from "./patch/apply.ts";
import { ApplyInputError, PatchError } from "./patch/errors.ts";
import { applyJsonPatch } from "./patch/json-patch.ts";
import { applyMergePatch } from "./patch/merge-patch.ts";
import { asObject } from "./request-body.ts";
import type { Store, WriteOptions } from "./store.ts";

/** The patch types of the Kubernetes API, by their media types. */
export const PATCH_TYPES = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
  "application/apply-patch+json": "apply",
} as const;

export type PatchType = (typeof PATCH_TYPES)[keyof typeof PATCH_TYPES];

/** Options of a PATCH beyond those of every write. */
export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

/**
 * Drops strategic-merge directives (`$patch`, `$setElementOrder/…`, `$retainKeys`) that have no meaning without patch
 * strategies.
 */
function stripDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(stripDirectives);
  if (patch === null || typeof patch !== "object") return patch;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (!k.startsWith("$")) out[k] = stripDirectives(v);
  return out;
}

/** Patch-module errors carry their own Status (400 malformed, 422 failed, 409 apply conflict). */
function asApiError(err: unknown): unknown {
  if (err instanceof PatchError || err instanceof ApplyConflictError || err instanceof ApplyInputError)
    return err.toApiError();
  return err;
}

/** Applies a patch to an object (creating it, for server-side apply of a new object). */
export async function patchObject(
  store: Store,
  info: KindInfo,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  opts: PatchOptions,
): Promise<StellaObject> {
  if (type === "apply") return applyObject(store, info, namespace, name, patch, opts);
  if (type === "json" && !Array.isArray(patch))
    throw badRequest("a JSON patch must be a JSON array of operations", [
      { reason: "FieldValueInvalid", field: "patch", message: "expected an array" },
    ]);
  if (type !== "json" && (patch === null || typeof patch !== "object" || Array.isArray(patch)))
    throw badRequest("a merge patch must be a JSON object", [
      { reason: "FieldValueInvalid", field: "patch", message: "expected an object" },
    ]);
  try {
    return await store.mutate(info, namespace, name, opts, (current) => {
      if (type === "json") return applyJsonPatch(current, patch as never) as StellaObject;
      const body = type === "strategic" ? stripDirectives(patch) : patch;
      return applyMergePatch(current, body) as StellaObject;
    });
  } catch (err) {
    throw asApiError(err);
  }
}

async function applyObject(
  store: Store,
  info: KindInfo,
  namespace: string | undefined,
  name: string,
  body: unknown,
  opts: PatchOptions,
): Promise<StellaObject> {
  const applied = asObject(info, body);
  checkIdentity(applied.metadata, info.namespaced ? namespace : undefined, name);
  applied.metadata.name = name;
  if (opts.subresource !== "status") delete applied.status;
  const manager = opts.fieldManager;
  const now = new Date();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await store.mutate(
        info,
        namespace,
        name,
        opts,
        (current) => {
          const result = serverSideApply({
            live: current,
            applied,
            manager,
            force: opts.force ?? false,
            now,
            subresource: opts.subresource,
          });
          result.object.metadata.managedFields = result.managedFields;
          return result.object as StellaObject;
        },
        { ownership: "Apply" },
      );
    } catch (err) {
      if (!isNotFound(err) || opts.subresource) throw asApiError(err);
      if ((err as ApiError).details.kind !== info.plural) throw err;
    }
    try {
      const created = serverSideApply({
        live: undefined,
        applied,
        manager,
        force: opts.force ?? false,
        now,
        subresource: opts.subresource,
      });
      created.object.metadata.managedFields = created.managedFields;
      return await store.create(info, namespace, created.object as StellaObject, opts, true);
    } catch (err) {
      // Someone created it in between: apply again, this time onto what they created.
      if (!isAlreadyExists(err)) throw asApiError(err);
    }
  }
  throw conflict(errorTarget(info, name), "the object kept changing during apply; try again");
}
