// Errors of the OCI distribution client. Each class is one outcome the release controller maps to
// its own condition reason; every message names the registry, repository and reference, and never
// a credential. `transient` says whether retrying later may succeed.

/** Where a failed request pointed. */
export interface ImageCoordinates {
  registry: string;
  repository: string;
  /** The tag or digest asked for. */
  reference: string;
}

/** Base of the registry failures: the coordinates and whether a retry may help. */
export abstract class OciError extends Error {
  abstract readonly transient: boolean;
  readonly registry: string;
  readonly repository: string;
  readonly reference: string;

  constructor(where: ImageCoordinates, problem: string, options?: { cause?: unknown }) {
    super(
      `${problem} (registry ${where.registry}, repository ${where.repository}, reference ${where.reference})`,
      options,
    );
    this.registry = where.registry;
    this.repository = where.repository;
    this.reference = where.reference;
  }
}

/** The registry answered, but has no manifest for the tag or digest (or no such repository). */
export class ManifestNotFound extends OciError {
  override readonly name = "ManifestNotFound";
  readonly transient = false;
}

/** The registry (or its token server) could not be reached: refused, reset, timed out, no DNS. */
export class RegistryUnreachable extends OciError {
  override readonly name = "RegistryUnreachable";
  readonly transient = true;
}

/** Authentication or authorization failed: credentials missing, rejected, or without access. */
export class Unauthorized extends OciError {
  override readonly name = "Unauthorized";
  readonly transient = false;
}

/** Any other failure: an unexpected HTTP status, a digest mismatch, an unusable answer. */
export class RegistryError extends OciError {
  override readonly name = "RegistryError";
  /** HTTP 5xx and 429 are worth retrying; everything else is not. */
  readonly transient: boolean;

  constructor(
    where: ImageCoordinates,
    problem: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(where, problem, options);
    this.transient = status !== undefined && (status >= 500 || status === 429);
  }
}

/** The image reference does not parse; nothing was sent to any registry. */
export class InvalidReference extends Error {
  override readonly name = "InvalidReference";
  readonly transient = false;

  constructor(readonly image: string) {
    super(`invalid image reference ${JSON.stringify(image)}: want [registry/]repository[:tag][@sha256:<64 hex>]`);
  }
}

/** True for failures a later retry may fix (unreachable registry, HTTP 5xx or 429). */
export function isTransient(err: unknown): boolean {
  return err instanceof OciError && err.transient;
}
