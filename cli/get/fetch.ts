// What `get` reads: Tables rendered by the server (the human output) or the objects themselves
// (yaml, json, name, jsonpath), for named objects or for a whole selection, page by page.
import { isNotFound, type ApiError } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Client } from "../../sdk/client.ts";
import { resourcePath } from "../../sdk/resource-path.ts";
import { TABLE_ACCEPT, type ServerTable } from "../output/server-table.ts";

/** Which objects: a namespace (undefined: all namespaces) and selectors. */
export interface Selection {
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Named objects that were found, and NotFound errors for those that were not. */
export interface Fetched<T> {
  result: T;
  missing: ApiError[];
}

const PAGE = 500;

/** The server's Table for the selection (all pages) or for the named objects. */
export async function fetchTable(
  client: Client,
  info: KindInfo,
  sel: Selection,
  names: string[],
): Promise<Fetched<ServerTable | undefined>> {
  const request = (path: string, query = {}) =>
    client.transport.request<ServerTable>({ method: "GET", path, query, accept: TABLE_ACCEPT });
  const missing: ApiError[] = [];
  let table: ServerTable | undefined;
  const add = (t: ServerTable) => {
    if (!table) table = { ...t, rows: [...t.rows] };
    else table.rows.push(...t.rows);
    table.metadata = t.metadata;
  };
  if (names.length > 0) {
    for (const name of names) {
      try {
        add(await request(resourcePath(info, sel.namespace, name)));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        missing.push(err as ApiError);
      }
    }
    return { result: table, missing };
  }
  let cont: string | undefined;
  do {
    const page = await request(resourcePath(info, sel.namespace), {
      labelSelector: sel.labelSelector,
      fieldSelector: sel.fieldSelector,
      limit: PAGE,
      continue: cont,
    });
    add(page);
    cont = page.metadata.continue || undefined;
  } while (cont);
  return { result: table, missing };
}

/** The objects of the selection (with the list's resourceVersion) or the named objects. */
export async function fetchObjects(
  client: Client,
  info: KindInfo,
  sel: Selection,
  names: string[],
): Promise<Fetched<{ items: StellaObject[]; resourceVersion: string }>> {
  const rc = client.resource(info);
  if (names.length === 0) return { result: await rc.listAll({ ...sel, pageSize: PAGE }), missing: [] };
  const items: StellaObject[] = [];
  const missing: ApiError[] = [];
  for (const name of names) {
    try {
      items.push(await rc.get(name, { namespace: sel.namespace }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missing.push(err as ApiError);
    }
  }
  return { result: { items, resourceVersion: "" }, missing };
}
