// Parses resource URLs of the Kubernetes API into what they address.
//   /api/v1/namespaces[/{name}[/{sub}]]                                  (core, cluster-scoped)
//   /apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}[/{sub}]]   (namespaced)
//   /apis/{group}/{version}/{plural}[/{name}[/{sub}]]                   (all namespaces, or cluster-scoped)
import type { KindInfo } from "../../crds/scheme-types.ts";
import { ApiError } from "../../crds/errors.ts";
import { groupOf, versionOf } from "../../crds/scheme.ts";
import { pathSegments } from "./path-segments.ts";

/** What a resource URL addresses. `namespace` is undefined for all-namespaces and cluster-scoped requests. */
export interface ResourcePath {
  info: KindInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The 404 Kubernetes gives for a path that names no resource. */
export const noSuchPath = (path: string) =>
  new ApiError(404, "NotFound", `the server could not find the requested resource (${path})`, {
    causes: [{ reason: "UnexpectedServerResponse", message: "404 page not found" }],
  });

/** Resolves a raw (percent-encoded) path to a kind and object; throws 404, or 400 for a segment no name can be. */
export function parseResourcePath(path: string, kinds: readonly KindInfo[]): ResourcePath {
  const parts = pathSegments(path);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api") {
    [group, version, rest] = ["", parts[1], parts.slice(2)];
  } else if (parts[0] === "apis") {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else throw noSuchPath(path);
  const served = kinds.filter((k) => groupOf(k) === group && versionOf(k) === version);
  if (served.length === 0) throw noSuchPath(path);
  let namespace: string | undefined;
  // `namespaces/{ns}/{plural}...` addresses namespaced objects; `namespaces[/{name}]` the Namespace kind itself.
  if (rest[0] === "namespaces" && rest.length >= 3 && served.some((k) => k.plural === rest[2] && k.namespaced)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const info = served.find((k) => k.plural === rest[0]);
  if (!info || rest.length > 3) throw noSuchPath(path);
  const name = rest[1];
  const subresource = rest[2];
  if (
    subresource !== undefined &&
    !(subresource === "status" && info.hasStatus) &&
    !(info.subresources ?? []).includes(subresource)
  )
    throw noSuchPath(path);
  if (name !== undefined && info.namespaced && namespace === undefined) throw noSuchPath(path);
  return { info, namespace, name, subresource };
}
