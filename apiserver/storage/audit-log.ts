// The audit log: one durable, append-only row per mutating request.
import type { SqlExecutor } from "./sql-executor.ts";
import { decodeAuditCursor, encodeAuditCursor } from "./audit-cursor.ts";
import { sanitizeAuditRecord } from "./audit-text.ts";
import type { AuditPage, AuditPageQuery, AuditQuery, AuditRecord } from "./types.ts";

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

/** Appends records (their text made safe to store) in one INSERT (one commit); resolves once they are committed. */
export async function appendAudit(exec: SqlExecutor, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const params: unknown[] = [];
  const rows = records.map(sanitizeAuditRecord).map((r, i) => {
    params.push(
      r.time,
      r.user,
      r.verb,
      r.resource,
      r.namespace,
      r.name,
      r.subresource ?? null,
      r.code,
      r.outcome,
      r.requestId ?? null,
      r.dryRun ?? null,
    );
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
  const { where, params } = conditions(q);
  const limit = q.limit && q.limit > 0 ? Math.floor(q.limit) : DEFAULT_LIMIT;
  const rows = await exec.query<AuditRow>(
    `SELECT ${SELECTED} FROM stella_audit ${whereClause(where)} ORDER BY time, id LIMIT $${params.push(limit)}`,
    params,
  );
  return rows.map(toRecord);
}

/** One page of matching records, newest first, continuing below the previous page's last record. */
export async function queryAuditPage(exec: SqlExecutor, q: AuditPageQuery): Promise<AuditPage> {
  const { where, params } = conditions(q);
  if (q.continue !== undefined) {
    const after = decodeAuditCursor(q.continue);
    where.push(`(time, id) < ($${params.push(after.time)}::timestamptz, $${params.push(after.id)}::int8)`);
  }
  const limit = q.limit && q.limit > 0 ? Math.floor(q.limit) : DEFAULT_LIMIT;
  // One row more than asked says whether another page follows.
  const rows = await exec.query<AuditRow & { id: string | number | bigint }>(
    `SELECT id, ${SELECTED} FROM stella_audit ${whereClause(where)} ORDER BY time DESC, id DESC LIMIT $${params.push(limit + 1)}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const more = rows.length > limit && last !== undefined;
  return {
    records: page.map(toRecord),
    ...(more ? { continue: encodeAuditCursor({ time: new Date(last.time).toISOString(), id: String(last.id) }) } : {}),
  };
}

const SELECTED = "time, user_name, verb, resource, namespace, name, subresource, code, outcome, request_id, dry_run";

const whereClause = (where: string[]) => (where.length ? `WHERE ${where.join(" AND ")}` : "");

/** The WHERE conditions of a query and their parameters. */
function conditions(q: AuditQuery): { where: string[]; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) where.push(`${column} = $${params.push(value)}`);
  };
  eq("user_name", q.user);
  eq("resource", q.resource);
  eq("subresource", q.subresource);
  eq("namespace", q.namespace);
  eq("name", q.name);
  eq("verb", q.verb);
  if (q.since !== undefined) where.push(`time >= $${params.push(q.since)}::timestamptz`);
  if (q.until !== undefined) where.push(`time < $${params.push(q.until)}::timestamptz`);
  return { where, params };
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
