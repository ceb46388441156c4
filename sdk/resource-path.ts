// URL paths of a kind, as the Kubernetes API lays them out:
// /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]] (/api/v1 for the core group).
import { apiVersionOf, groupOf } from "../crds/scheme.ts";
import type { KindInfo } from "../crds/scheme-types.ts";

/**
 * The path of a collection or object. `namespace` is ignored for cluster-scoped kinds; for a
 * namespaced kind, undefined means the collection across all namespaces.
 */
export function resourcePath(
  info: KindInfo,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  let path = groupOf(info) === "" ? `/api/${apiVersionOf(info)}` : `/apis/${apiVersionOf(info)}`;
  if (info.namespaced && namespace !== undefined) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${info.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}
