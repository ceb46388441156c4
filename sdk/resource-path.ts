// URL paths and apiVersions of a kind, as the Kubernetes API lays them out:
// /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]] (/api/v1 for the core group).
import { GROUP, VERSION } from "../crds/meta.ts";
import type { KindInfo } from "../crds/scheme-types.ts";

/** `group/version` of a kind (`v1` alone for the core group). */
export function apiVersionOf(info: KindInfo): string {
  const group = info.group ?? GROUP;
  const version = info.version ?? (group === "" ? "v1" : VERSION);
  return group === "" ? version : `${group}/${version}`;
}

/**
 * The path of a collection or object. `namespace` is ignored for cluster-scoped kinds; for a
 * namespaced kind, undefined means the collection across all namespaces.
 */
export function resourcePath(info: KindInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  const gv = apiVersionOf(info);
  let path = (info.group ?? GROUP) === "" ? `/api/${gv}` : `/apis/${gv}`;
  if (info.namespaced && namespace !== undefined) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${info.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}
