// Schema version 1: objects, the event log, the resource version sequence, compaction state,
// the audit log, and stella_write, the single-round-trip write function. Keys use the "C"
// collation so lists are ordered bytewise (like etcd), identically on every backend.
import type { Migration } from "../migrations.ts";

// stella_write(op, resource, namespace, name, uid, data, expected_rv) performs one create,
// update or delete and returns (w_outcome, w_rv, w_data):
//   ok        w_rv = the new resource version; w_data = the deleted object (delete only)
//   exists    create found the key taken
//   notfound  update/delete found no object
//   conflict  expected_rv differs; w_rv = the stored rv
// It takes the transaction's xid BEFORE the resource version: the event reader's hold-back
// (event-poller.ts) is correct only because every rv is allocated by a transaction that already
// had its xid. Burned rvs (a create that lost a race) leave gaps, which the reader tolerates.
// It does not NOTIFY: PostgreSQL serializes the commits of notifying transactions (a global lock
// held through the WAL flush), which capped writes near 700/s; see event-notifier.ts.
const WRITE_FUNCTION = `
CREATE OR REPLACE FUNCTION stella_write(p_op text, p_resource text, p_namespace text, p_name text,
                                        p_uid text, p_data jsonb, p_expected bigint)
RETURNS TABLE (w_outcome text, w_rv bigint, w_data jsonb)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_xid xid8;
  v_rv bigint;
  v_cur_rv bigint;
  v_cur_data jsonb;
BEGIN
  v_xid := pg_current_xact_id();
  SELECT o.rv, o.data INTO v_cur_rv, v_cur_data FROM stella_objects o
   WHERE o.resource = p_resource AND o.namespace = p_namespace AND o.name = p_name
   FOR UPDATE;
  IF p_op = 'create' THEN
    IF FOUND THEN
      RETURN QUERY SELECT 'exists'::text, v_cur_rv, NULL::jsonb;
      RETURN;
    END IF;
    v_rv := nextval('stella_rv');
    INSERT INTO stella_objects (resource, namespace, name, uid, rv, data)
      VALUES (p_resource, p_namespace, p_name, p_uid, v_rv, p_data)
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'exists'::text, NULL::bigint, NULL::jsonb;
      RETURN;
    END IF;
    INSERT INTO stella_events (rv, xid, type, resource, namespace, name, object, prev, prev_rv)
      VALUES (v_rv, v_xid, 'ADDED', p_resource, p_namespace, p_name, p_data, NULL, NULL);
  ELSIF p_op = 'update' OR p_op = 'delete' THEN
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'notfound'::text, NULL::bigint, NULL::jsonb;
      RETURN;
    END IF;
    IF p_expected IS NOT NULL AND p_expected <> v_cur_rv THEN
      RETURN QUERY SELECT 'conflict'::text, v_cur_rv, NULL::jsonb;
      RETURN;
    END IF;
    v_rv := nextval('stella_rv');
    IF p_op = 'update' THEN
      UPDATE stella_objects o SET uid = p_uid, rv = v_rv, data = p_data
       WHERE o.resource = p_resource AND o.namespace = p_namespace AND o.name = p_name;
      INSERT INTO stella_events (rv, xid, type, resource, namespace, name, object, prev, prev_rv)
        VALUES (v_rv, v_xid, 'MODIFIED', p_resource, p_namespace, p_name, p_data, v_cur_data, v_cur_rv);
    ELSE
      DELETE FROM stella_objects o
       WHERE o.resource = p_resource AND o.namespace = p_namespace AND o.name = p_name;
      INSERT INTO stella_events (rv, xid, type, resource, namespace, name, object, prev, prev_rv)
        VALUES (v_rv, v_xid, 'DELETED', p_resource, p_namespace, p_name, v_cur_data, v_cur_data, v_cur_rv);
    END IF;
  ELSE
    RAISE EXCEPTION 'stella_write: unknown operation %', p_op;
  END IF;
  RETURN QUERY SELECT 'ok'::text, v_rv, CASE WHEN p_op = 'delete' THEN v_cur_data END;
END
$fn$`;

/** The initial schema. */
export const initialSchema: Migration = {
  version: 1,
  name: "initial",
  statements: [
    `CREATE SEQUENCE stella_rv AS bigint`,
    `CREATE TABLE stella_objects (
       resource text COLLATE "C" NOT NULL,
       namespace text COLLATE "C" NOT NULL,
       name text COLLATE "C" NOT NULL,
       uid text NOT NULL DEFAULT '',
       rv bigint NOT NULL,
       data jsonb NOT NULL,
       PRIMARY KEY (resource, namespace, name))`,
    `CREATE TABLE stella_events (
       rv bigint PRIMARY KEY,
       xid xid8 NOT NULL,
       type text NOT NULL,
       resource text COLLATE "C" NOT NULL,
       namespace text COLLATE "C" NOT NULL,
       name text COLLATE "C" NOT NULL,
       object jsonb NOT NULL,
       prev jsonb,
       prev_rv bigint)`,
    `CREATE INDEX stella_events_key ON stella_events (resource, namespace, name, rv)`,
    `CREATE TABLE stella_meta (id int PRIMARY KEY CHECK (id = 1), compacted_rv bigint NOT NULL)`,
    `INSERT INTO stella_meta (id, compacted_rv) VALUES (1, 0)`,
    `CREATE TABLE stella_audit (
       id bigserial PRIMARY KEY,
       time timestamptz NOT NULL,
       user_name text NOT NULL,
       verb text NOT NULL,
       resource text NOT NULL,
       namespace text NOT NULL,
       name text NOT NULL,
       subresource text,
       code int NOT NULL,
       outcome text NOT NULL,
       request_id text,
       dry_run boolean)`,
    `CREATE INDEX stella_audit_time ON stella_audit (time, id)`,
    `CREATE INDEX stella_audit_user ON stella_audit (user_name, time, id)`,
    `CREATE INDEX stella_audit_resource ON stella_audit (resource, namespace, time, id)`,
    WRITE_FUNCTION,
  ],
};
