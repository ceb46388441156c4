// Database errors stop here: SQLSTATEs and driver connection errors become StorageErrors, so no
// caller above the storage layer ever sees a PostgreSQL or driver error.
import { StorageError } from "./types.ts";

// SQLSTATE classes and codes that mean "the database is not there right now; retry later".
const UNAVAILABLE_CLASSES = new Set(["08", "53", "57"]);
const RETRYABLE_STATES = new Set(["40001", "40P01", "55P03"]);
// Values PostgreSQL refuses to store (jsonb rejects \u0000; bad encodings).
const INVALID_STATES = new Set(["22P05", "22021", "54000"]);
// Driver-level codes (porsager `postgres`, node sockets) for a lost or refused connection.
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EAI_AGAIN",
]);

/** Translates any error thrown by a driver into a StorageError; StorageErrors pass unchanged. */
export function toStorageError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (code && CONNECTION_CODES.has(code))
    return new StorageError("Unavailable", `${what}: database connection failed (${code})`);
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (UNAVAILABLE_CLASSES.has(code.slice(0, 2)) || RETRYABLE_STATES.has(code)) {
      return new StorageError("Unavailable", `${what}: database unavailable (SQLSTATE ${code})`);
    }
    if (INVALID_STATES.has(code)) return new StorageError("Invalid", `${what}: value can not be stored: ${detail}`);
    return new StorageError("Internal", `${what}: database error (SQLSTATE ${code}): ${detail}`);
  }
  return new StorageError("Internal", `${what}: ${detail}`);
}

/** Runs `fn` and rethrows any failure as a StorageError. */
export async function translating<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStorageError(err, what);
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
