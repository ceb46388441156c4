// Schema version 3: stella_write also returns the object it replaced (w_prev, w_prev_rv; NULL for
// a create), so a process that is the database's only writer (embedded PGlite) can hand each
// write's event to watches from the write itself, without reading the event log back. Everything
// else is unchanged from 0001; callers that select only (w_outcome, w_rv, w_data) keep working.
import type { Migration } from "../migrations.ts";

const WRITE_FUNCTION = `
CREATE FUNCTION stella_write(p_op text, p_resource text, p_namespace text, p_name text,
                                        p_uid text, p_data jsonb, p_expected bigint)
RETURNS TABLE (w_outcome text, w_rv bigint, w_data jsonb, w_prev jsonb, w_prev_rv bigint)
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
      RETURN QUERY SELECT 'exists'::text, v_cur_rv, NULL::jsonb, NULL::jsonb, NULL::bigint;
      RETURN;
    END IF;
    v_rv := nextval('stella_rv');
    INSERT INTO stella_objects (resource, namespace, name, uid, rv, data)
      VALUES (p_resource, p_namespace, p_name, p_uid, v_rv, p_data)
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'exists'::text, NULL::bigint, NULL::jsonb, NULL::jsonb, NULL::bigint;
      RETURN;
    END IF;
    INSERT INTO stella_events (rv, xid, type, resource, namespace, name, object, prev, prev_rv)
      VALUES (v_rv, v_xid, 'ADDED', p_resource, p_namespace, p_name, p_data, NULL, NULL);
  ELSIF p_op = 'update' OR p_op = 'delete' THEN
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'notfound'::text, NULL::bigint, NULL::jsonb, NULL::jsonb, NULL::bigint;
      RETURN;
    END IF;
    IF p_expected IS NOT NULL AND p_expected <> v_cur_rv THEN
      RETURN QUERY SELECT 'conflict'::text, v_cur_rv, NULL::jsonb, NULL::jsonb, NULL::bigint;
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
  RETURN QUERY SELECT 'ok'::text, v_rv, CASE WHEN p_op = 'delete' THEN v_cur_data END, v_cur_data, v_cur_rv;
END
$fn$`;

/** stella_write returning the replaced object. */
export const writeReturnsPrev: Migration = {
  version: 3,
  name: "write-returns-prev",
  statements: [`DROP FUNCTION stella_write(text, text, text, text, text, jsonb, bigint)`, WRITE_FUNCTION],
};
