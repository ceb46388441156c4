// The continue token of an audit page: the (time, id) of the last record returned, so the next
// page starts strictly below it in the log's newest-first order. New records arriving between
// pages land above the cursor and never shift or repeat what later pages return.
import { StorageError } from "./types.ts";

/** Where the next (older) page of the audit log starts. */
export interface AuditCursor {
  /** The last record's time, RFC 3339 with milliseconds. */
  time: string;
  /** The last record's row id (breaks ties between records of the same millisecond). */
  id: string;
}

/** An opaque, URL-safe token for `cursor`. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, t: cursor.time, i: cursor.id })).toString("base64url");
}

/** Decodes a token; fails with InvalidContinue when it is malformed. */
export function decodeAuditCursor(token: string): AuditCursor {
  let body: { v?: unknown; t?: unknown; i?: unknown };
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new StorageError("InvalidContinue", "continue token is not valid");
  }
  const validTime = typeof body?.t === "string" && !Number.isNaN(Date.parse(body.t));
  if (body?.v !== 1 || !validTime || typeof body.i !== "string" || !/^[0-9]{1,19}$/.test(body.i))
    throw new StorageError("InvalidContinue", "continue token is not valid");
  return { time: body.t as string, id: body.i };
}
