// How failures of Engine API calls become DriverErrors: a connection that cannot be made or a
// call that times out is Unreachable (transient); an HTTP status from the engine is kept for the
// caller to map. Decided on errno codes and status codes, never on message text.
import { DriverError, DriverReasons, type DriverReason } from "../../sdk/plugins/driver.ts";

const CONNECTION_CODES = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "EACCES",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ESOCKETTIMEDOUT",
  "ECONNABORTED",
]);

/** The HTTP status the engine answered with, when the error is one. */
export function engineStatus(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Whether `err` says the engine could not be reached (or did not answer in time). */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "AbortError" || err.name === "TimeoutError") return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}

/** What the engine said, without the request details docker-modem prefixes. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (json && typeof json === "object" && typeof (json as { message?: unknown }).message === "string")
    return (json as { message: string }).message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * `err` as a DriverError: DriverErrors pass through, connection failures become Unreachable
 * (transient), anything else `reason` (transient for 5xx answers).
 */
export function toDriverError(err: unknown, reason: DriverReason, what: string): DriverError {
  if (err instanceof DriverError) return err;
  if (isConnectionError(err))
    return new DriverError(
      DriverReasons.Unreachable,
      `${what}: docker engine unreachable: ${engineMessage(err)}`,
      true,
      { cause: err },
    );
  const status = engineStatus(err);
  return new DriverError(reason, `${what}: ${engineMessage(err)}`, status === undefined || status >= 500, {
    cause: err,
  });
}
