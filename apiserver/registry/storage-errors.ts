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
      // The database's own words stay in the log (see withCause): they name its internals.
      return withCause(
        new ApiError(
          400,
          "BadRequest",
          "the object cannot be stored: it holds a value the database can not represent",
          {
            causes: [
              { reason: "FieldValueInvalid", message: "holds a value the database can not represent", field: "body" },
            ],
          },
        ),
        err,
      );
    case "Unavailable":
    case "Closed":
      return withCause(unavailable("storage unavailable, try again later"), err);
    case "Timeout":
      return withCause(timeout("the storage did not answer within the request timeout; the write was not made"), err);
    default:
      return withCause(internal("an internal storage error occurred"), err);
  }
}

/** 504 Timeout, as kube-apiserver answers a request that ran out of time. */
export const timeout = (message: string, retryAfterSeconds = 1) =>
  new ApiError(504, "Timeout", message, { retryAfterSeconds });

/** Keeps the storage error on the API error so the HTTP edge can log what the client is not told. */
export function withCause(apiErr: ApiError, cause: StorageError): ApiError {
  apiErr.cause = cause;
  return apiErr;
}

/** Runs a storage call and rethrows its failure as an API error. */
export async function translated<T>(info: KindInfo, name: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err, info, name);
  }
}
