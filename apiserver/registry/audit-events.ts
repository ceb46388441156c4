// Reading the audit log for the audit query API: storage pages become AuditEventLists, storage
// errors become Status errors (a stale or forged continue token is a 400 naming `continue`).
import { AUDIT_API_VERSION, type AuditEventList } from "../../crds/audit-event.ts";
import { ApiError, internal, unavailable } from "../../crds/errors.ts";
import { withCause } from "./storage-errors.ts";
import { isStorageError, type AuditPageQuery, type Storage } from "../storage/types.ts";

/** One page of the audit log, newest first, as the API answers it. */
export async function auditEvents(storage: Storage, query: AuditPageQuery): Promise<AuditEventList> {
  try {
    const page = await storage.queryAuditPage(query);
    return {
      apiVersion: AUDIT_API_VERSION,
      kind: "AuditEventList",
      metadata: page.continue ? { continue: page.continue } : {},
      items: page.records,
    };
  } catch (err) {
    if (isStorageError(err, "InvalidContinue"))
      throw new ApiError(400, "BadRequest", `invalid continue token: ${err.message}`, {
        causes: [{ reason: "FieldValueInvalid", message: err.message, field: "continue" }],
      });
    if (isStorageError(err, "Unavailable") || isStorageError(err, "Closed"))
      throw withCause(unavailable("storage unavailable, try again later"), err);
    if (isStorageError(err)) throw withCause(internal("an internal storage error occurred"), err);
    throw err;
  }
}
