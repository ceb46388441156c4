// The registry is where storage errors become API errors (kubernetes/apiserver's
// storage -> registry translation). Nothing from the database reaches the HTTP edge.
import { alreadyExists, ApiError, conflict, gone, internal, notFound, unavailable } from "../../crds/errors.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { StorageError } from "../storage/types.ts";
import { errorTarget } from "./keys.ts";

/** Translates a StorageError into the matching Status error; other errors pass through. */
export function toApiError(err: unknown, info: KindInfo, name?: string): unknown {
  if (!(err instanceof StorageError)) return err;
  const t = errorTarget(info, err.key?.name ?? name);
  switch (err.code) {
    case "NotFound":
      return notFound(t);
    case "KeyExists":
      return alreadyExists(t);
    case "Conflict":
      return conflict(t, "the object has been modified; please apply your changes to the latest version and try again");
    case "Expired":
      return gone(err.message);
    case "InvalidContinue":
      return new ApiError(400, "BadRequest", `invalid continue token: ${err.message}`, {
        causes: [{ reason: "FieldValueInvalid", message: err.message, field: "continue" }],
      });
    case "Invalid":
      return new ApiError(400, "BadRequest", `the object cannot be stored: ${err.message}`, {
        causes: [{ reason: "FieldValueInvalid", message: err.message, field: "body" }],
      });
    case "Unavailable":
    case "Closed":
      return unavailable(`storage unavailable: ${err.message}`);
    default:
      return internal(`storage error: ${err.message}`);
  }
}

/** Runs a storage call and rethrows its failure as an API error. */
export async function translated<T>(info: KindInfo, name: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err, info, name);
  }
}
