// The typed failures of the patch modules. Each carries the fields the registry needs and can turn
// itself into the Kubernetes Status error it stands for (toApiError), so nobody parses messages.
import { ApiError } from "../../../crds/errors.ts";
import type { StatusCause } from "../../../crds/errors.ts";

/**
 * `Malformed`: the JSON patch document is not valid RFC 6902 (400). `Failed`: a well-formed operation could not be
 * applied (422).
 */
export type PatchFailure = "Malformed" | "Failed";

/** A JSON patch that was rejected: which operation (0-based), which op name, at which JSON pointer, and why. */
export class PatchError extends Error {
  override readonly name = "PatchError";
  constructor(
    readonly failure: PatchFailure,
    readonly opIndex: number | undefined,
    readonly op: string | undefined,
    /** The JSON pointer the operation targets; "" for the whole document or when unknown. */
    readonly path: string,
    readonly detail: string,
  ) {
    const where = [
      opIndex === undefined ? "" : `op ${opIndex}`,
      op === undefined ? "" : `(${op})`,
      path ? `at ${path}` : "",
    ];
    const prefix = where.filter(Boolean).join(" ");
    super(prefix ? `${prefix}: ${detail}` : detail);
  }

  /** 400 BadRequest for a malformed patch, 422 Invalid for one that does not apply, as Kubernetes answers. */
  toApiError(): ApiError {
    const field = this.path
      .split("/")
      .slice(1)
      .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
      .join(".");
    const causes: StatusCause[] = [{ reason: "FieldValueInvalid", message: this.message, ...(field ? { field } : {}) }];
    return this.failure === "Malformed"
      ? new ApiError(400, "BadRequest", this.message, { causes })
      : new ApiError(422, "Invalid", this.message, { causes });
  }
}

/** One field an apply would change that another manager owns. */
export interface FieldConflict {
  /** The owning manager's name, e.g. "kubectl-client-side-apply". */
  manager: string;
  operation: "Apply" | "Update";
  /** The owning entry's apiVersion (printed for Update managers, as Kubernetes does). */
  apiVersion: string;
  subresource?: string;
  /** The field as Kubernetes prints it: `.spec.replicas`, `.spec.components[name="web"].image`. */
  field: string;
}

/**
 * How Kubernetes names a manager in conflict messages: `"name"`, plus subresource and, for Update managers, `using
 * apiVersion`.
 */
export function describeManager(
  c: Pick<FieldConflict, "manager" | "operation" | "apiVersion" | "subresource">,
): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s += ` with subresource ${JSON.stringify(c.subresource)}`;
  if (c.operation === "Update") s += ` using ${c.apiVersion}`;
  return s;
}

function conflictMessage(conflicts: readonly FieldConflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${describeManager(c)}: ${c.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const who = describeManager(c);
    byManager.set(who, [...(byManager.get(who) ?? []), c.field]);
  }
  const lines = [...byManager.keys()]
    .sort()
    .flatMap((who) => [`conflicts with ${who}:`, ...byManager.get(who)!.map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** A server-side apply that would change fields other managers own, without `force`. */
export class ApplyConflictError extends Error {
  override readonly name = "ApplyConflictError";
  constructor(readonly conflicts: readonly FieldConflict[]) {
    super(conflictMessage(conflicts));
  }

  /** One cause per conflicting field: reason FieldManagerConflict, field `.spec.x`, message `conflict with "m" …`. */
  causes(): StatusCause[] {
    return this.conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${describeManager(c)}`,
      field: c.field,
    }));
  }

  /** The 409 Conflict Status Kubernetes returns for apply conflicts. */
  toApiError(): ApiError {
    return new ApiError(409, "Conflict", this.message, { causes: this.causes() });
  }
}

/**
 * An apply request that cannot be processed: no field manager, managedFields in the body (400), duplicate list keys
 * (422).
 */
export class ApplyInputError extends Error {
  override readonly name = "ApplyInputError";
  constructor(
    readonly reason: "BadRequest" | "Invalid",
    /** The offending field, Kubernetes style (`.spec.components`), or "" for the whole request. */
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${field}: ${detail}` : detail);
  }

  /** 400 BadRequest or 422 Invalid with the field as cause. */
  toApiError(): ApiError {
    const causes: StatusCause[] = [
      { reason: "FieldValueInvalid", message: this.detail, ...(this.field ? { field: this.field } : {}) },
    ];
    return this.reason === "BadRequest"
      ? new ApiError(400, "BadRequest", this.message, { causes })
      : new ApiError(422, "Invalid", this.message, { causes });
  }
}

/** metadata.managedFields that cannot be decoded: which entry and why. */
export class ManagedFieldsError extends Error {
  override readonly name = "ManagedFieldsError";
  constructor(
    readonly index: number | undefined,
    readonly detail: string,
  ) {
    super(index === undefined ? `metadata.managedFields: ${detail}` : `metadata.managedFields[${index}]: ${detail}`);
  }
}
