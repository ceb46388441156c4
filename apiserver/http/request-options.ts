// Query parameters of write requests (dryRun, fieldManager, force) and of reads
// (selectors, paging, watch), checked once with errors that name the parameter.
import { badRequest } from "../../crds/errors.ts";

/** The query of a request as a plain map (first value of each parameter). */
export type Query = Record<string, string | undefined>;

const fail = (param: string, message: string) =>
  badRequest(`${param}: ${message}`, [{ reason: "FieldValueInvalid", field: param, message }]);

/** `dryRun=All` (the only value Kubernetes defines). */
export function parseDryRun(q: Query): boolean {
  if (q.dryRun === undefined || q.dryRun === "") return false;
  if (q.dryRun !== "All")
    throw fail("dryRun", `Unsupported value: ${JSON.stringify(q.dryRun)}: supported values: "All"`);
  return true;
}

/** The field manager: the parameter, else the user agent's product name, as Kubernetes derives it. */
export function parseFieldManager(q: Query, userAgent: string | undefined, required: boolean): string {
  const given = q.fieldManager;
  if (given !== undefined) {
    if (given.length === 0 || given.length > 128)
      throw fail("fieldManager", "must be between 1 and 128 characters long");
    return given;
  }
  if (required) throw fail("fieldManager", "Required value: is required for apply patch");
  const product = (userAgent ?? "").split("/")[0].trim();
  return product.length > 0 ? product.slice(0, 128) : "unknown";
}

/** `force`, only meaningful for apply; a boolean as every other (see flag). */
export const parseForce = (q: Query): boolean => flag(q, "force");

/**
 * A boolean query parameter (`watch`, `allowWatchBookmarks`, `sendInitialEvents`, `force`) read as
 * kube-apiserver reads them (apimachinery's Convert_Slice_string_To_bool): absent, `0` and `false`
 * in any case are false; any other value, the empty one included, is true. Clients send `True`,
 * `TRUE`, `1` or a bare `?watch`, and each must start a watch rather than turn into a list.
 */
export function flag(q: Query, name: string): boolean {
  const v = q[name];
  return v !== undefined && v !== "0" && v.toLowerCase() !== "false";
}

/** A non-negative integer parameter. */
export function parseCount(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  if (!/^[0-9]+$/.test(v)) throw fail(name, `must be a non-negative integer, not ${JSON.stringify(v)}`);
  return Number(v);
}
