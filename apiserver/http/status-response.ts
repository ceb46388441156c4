// The HTTP edge is the only place errors are serialized: every failure becomes a Kubernetes
// Status body with its code. Unexpected errors are logged and answered without internals.
import { ApiError, internal } from "../../crds/errors.ts";
import type { Logger } from "../logging/logger.ts";

/** Converts any thrown value into an ApiError; unknown errors become a bare 500. */
export function toApiError(err: unknown, log: Logger, requestId: string): ApiError {
  if (err instanceof ApiError) {
    // A storage failure behind a 5xx (or a refused value) is told to the log, not to the client.
    if (err.cause !== undefined)
      log.error("storage error", {
        requestId,
        code: err.code,
        error: err.cause instanceof Error ? err.cause.message : String(err.cause),
      });
    return err;
  }
  log.error("unhandled error", {
    requestId,
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return internal(`an internal error occurred (request ${requestId})`);
}

/** A Status response for an error. */
export function statusResponse(err: ApiError): Response {
  return new Response(JSON.stringify(err.toStatus()), {
    status: err.code,
    headers: { "content-type": "application/json" },
  });
}
