// The audit log: one durable, append-only row per mutating request.
import type { SqlExecutor } from "./sql-executor.ts";
import type { AuditQuery, AuditRecord } from "./types.ts";

const DEFAULT_LIMIT = 1000;

type AuditRow = {
  time: Date | string;
  user_name: string;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  subresource: string | null;
  code: number;
  outcome: "success" | "failure";
  request_id: string | null;
  dry_run: boolean | null;
};

const COLUMNS = 11;

/** Appends records in one INSERT (one commit); resolves once they are committed. */
export async function appendAudit(exec: SqlExecutor, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const params: unknown[] = [];
  const rows = records.map((r, i) => {
    params.push(r.time, r.user, r.verb, r.resource, r.namespace, r.name, r.subresource ?? null, r.code, r.outcome, r.requestId ?? null, r.dryRun ?? null);
    const b = i * COLUMNS;
    return `($${b + 1}::timestamptz, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11})`;
  });
  await exec.query(
    `INSERT INTO stella_audit (time, user_name, verb, resource, namespace, name, subresource, code, outcome, request_id, dry_run) VALUES ${rows.join(", ")}`,
    params,
  );
}

/** Records matching every given field, oldest first; `since` inclusive, `until` exclusive. */
export async function queryAudit(exec: SqlExecutor, q: AuditQuery): Promise<AuditRecord[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
  };
  eq("user_name", q.user);
  eq("resource", q.resource);
  eq("namespace", q.namespace);
  eq("name", q.name);
  if (q.since !== undefined) where.push(`time >= $${params.push(q.since)}::timestamptz`);
  if (q.until !== undefined) where.push(`time < $${params.push(q.until)}::timestamptz`);
  const limit = q.limit && q.limit > 0 ? Math.floor(q.limit) : DEFAULT_LIMIT;
  const rows = await exec.query<AuditRow>(
    `SELECT time, user_name, verb, resource, namespace, name, subresource, code, outcome, request_id, dry_run
       FROM stella_audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY time, id LIMIT $${params.push(limit)}`,
    params,
  );
  return rows.map(toRecord);
}

function toRecord(row: AuditRow): AuditRecord {
  const record: AuditRecord = {
    time: new Date(row.time).toISOString(),
    user: row.user_name,
    verb: row.verb,
    resource: row.resource,
    namespace: row.namespace,
    name: row.name,
    code: row.code,
    outcome: row.outcome,
  };
  if (row.subresource !== null) record.subresource = row.subresource;
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.dry_run !== null) record.dryRun = row.dry_run;
  return record;
}
