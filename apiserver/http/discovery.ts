// Discovery documents (legacy, unaggregated): /api, /api/v1, /apis, /apis/{group},
// /apis/{group}/{version}. kubectl reads these to map kinds and short names to URLs.
import type { KindInfo } from "../../crds/scheme-types.ts";
import { groupOf, versionOf } from "../../crds/scheme.ts";
import { REVIEW_RESOURCES } from "./self-review.ts";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** The API resources of one group/version (APIResourceList). */
export function resourceList(kinds: readonly KindInfo[], group: string, version: string) {
  const groupVersion = group === "" ? version : `${group}/${version}`;
  const reviews = REVIEW_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (reviews.length > 0) {
    const resources = reviews.map((r) => ({
      name: r.plural,
      singularName: "",
      namespaced: false,
      kind: r.kind,
      verbs: ["create"],
    }));
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
  }
  const served = kinds.filter((k) => groupOf(k) === group && versionOf(k) === version);
  const resources = served.flatMap((k) => {
    const main = {
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      shortNames: k.shortNames.length > 0 ? k.shortNames : undefined,
      categories: k.categories,
    };
    // status is read and written like the object; the other subresources are actions (POST).
    const subs = [...(k.hasStatus ? ["status"] : []), ...(k.subresources ?? [])].map((s) => ({
      name: `${k.plural}/${s}`,
      singularName: "",
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: s === "status" ? ["get", "patch", "update"] : ["create"],
    }));
    return [main, ...subs];
  });
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

/** The groups served under /apis (APIGroupList), core excluded; the review groups last. */
export function groupList(kinds: readonly KindInfo[]) {
  const groups = [...new Set([...kinds.map(groupOf).filter((g) => g !== ""), ...REVIEW_RESOURCES.map((r) => r.group)])];
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map((g) => apiGroup(kinds, g)) };
}

/** One group and its versions (APIGroup). */
export function apiGroup(kinds: readonly KindInfo[], group: string) {
  const served = [
    ...kinds.filter((k) => groupOf(k) === group).map(versionOf),
    ...REVIEW_RESOURCES.filter((r) => r.group === group).map((r) => r.version),
  ];
  const versions = [...new Set(served)].map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { kind: "APIGroup", apiVersion: "v1", name: group, versions, preferredVersion: versions[0] };
}

/** The core API versions (/api). */
export function coreVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** Whether a group/version is served. */
export const servesGroupVersion = (kinds: readonly KindInfo[], group: string, version: string) =>
  kinds.some((k) => groupOf(k) === group && versionOf(k) === version) ||
  REVIEW_RESOURCES.some((r) => r.group === group && r.version === version);

/** Whether `group` is served (a kind's, or a review group's). */
export const servesGroup = (kinds: readonly KindInfo[], group: string) =>
  kinds.some((k) => groupOf(k) === group) || REVIEW_RESOURCES.some((r) => r.group === group);
