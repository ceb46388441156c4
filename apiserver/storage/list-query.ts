// Consistent lists: the state of one resource exactly as of a settled resourceVersion R.
// An object row with rv <= R is its state at R (a later write would have raised its rv). For
// keys written after R, the earliest later event's `prev` is the state at R (null: created
// after R). The event log is complete above R unless compaction passed R: then Expired.
import { encodeContinue } from "./continue-token.ts";
import { decodeObject } from "./object-codec.ts";
import type { SqlQueryable, SqlExecutor } from "./sql-executor.ts";
import { StorageError, type ListResult, type StoredObject } from "./types.ts";

/** One page to read: a resource (optionally one namespace) as of `rv`, after a key. */
export interface PageRequest {
  resource: string;
  namespace: string | null;
  rv: number;
  after: [string, string];
  filter?: (obj: StoredObject) => boolean;
  limit?: number;
}

type AsOfRow = { namespace: string; name: string; rv: number; data: unknown };

/** Reads one page in one REPEATABLE READ snapshot. Fails with Expired when R was compacted away. */
export function readPage(exec: SqlExecutor, req: PageRequest): Promise<ListResult> {
  return exec.transaction(
    async (tx) => {
      const [meta] = await tx.query<{ compacted_rv: number }>(`SELECT compacted_rv FROM stella_meta WHERE id = 1`);
      if (meta.compacted_rv > req.rv) {
        throw new StorageError(
          "Expired",
          `the list at resourceVersion ${req.rv} is older than the retained event window; list again`,
        );
      }
      return collect(tx, req);
    },
    { isolation: "repeatable read", readOnly: true },
  );
}

async function collect(tx: SqlQueryable, req: PageRequest): Promise<ListResult> {
  const limit = req.limit && req.limit > 0 ? req.limit : undefined;
  const chunk = limit ? Math.min(Math.max(limit + 1, 100), 1000) : 1000;
  const items: StoredObject[] = [];
  let after = req.after;
  for (;;) {
    const rows = await asOf(tx, req, after, chunk);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      after = [row.namespace, row.name];
      const obj = decodeObject(row.data, row.rv);
      if (req.filter && !req.filter(obj)) continue;
      items.push(obj);
      if (limit !== undefined && items.length === limit) {
        const more = i < rows.length - 1 || (rows.length === chunk && (await asOf(tx, req, after, 1)).length > 0);
        if (!more) return { items, rv: req.rv };
        const cont = encodeContinue({ rv: req.rv, resource: req.resource, namespace: req.namespace, after });
        const remainingItemCount = req.filter ? undefined : await countAfter(tx, req, after);
        return { items, rv: req.rv, continue: cont, remainingItemCount };
      }
    }
    if (rows.length < chunk) return { items, rv: req.rv };
  }
}

// The as-of rows after a key, ordered by (namespace, name). $1 resource, $2 R, $3/$4 key, $5 ns.
function asOfSql(namespaced: boolean, select: string, tail: string): string {
  const ns = namespaced ? " AND namespace = $5" : "";
  return `SELECT ${select} FROM (
      SELECT namespace, name, rv, data FROM stella_objects
       WHERE resource = $1 AND rv <= $2 AND (namespace, name) > ($3, $4)${ns}
      UNION ALL
      SELECT namespace, name, prev_rv AS rv, prev AS data FROM (
        SELECT DISTINCT ON (namespace, name) namespace, name, prev_rv, prev FROM stella_events
         WHERE resource = $1 AND rv > $2 AND (namespace, name) > ($3, $4)${ns}
         ORDER BY namespace, name, rv) AS changed
       WHERE prev IS NOT NULL) AS as_of ${tail}`;
}

function asOf(tx: SqlQueryable, req: PageRequest, after: [string, string], limit: number): Promise<AsOfRow[]> {
  const params: unknown[] = [req.resource, req.rv, after[0], after[1]];
  if (req.namespace !== null) params.push(req.namespace);
  const tail = `ORDER BY namespace, name LIMIT $${params.push(limit)}`;
  return tx.query<AsOfRow>(asOfSql(req.namespace !== null, "namespace, name, rv, data", tail), params);
}

async function countAfter(tx: SqlQueryable, req: PageRequest, after: [string, string]): Promise<number> {
  const params: unknown[] = [req.resource, req.rv, after[0], after[1]];
  if (req.namespace !== null) params.push(req.namespace);
  const [row] = await tx.query<{ n: number }>(asOfSql(req.namespace !== null, "count(*) AS n", ""), params);
  return row.n;
}
