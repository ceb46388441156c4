// `stella api-resources`: the resource types the server serves, from its discovery documents
// (/api/v1 and /apis/{group}/{version}), as kubectl api-resources prints them.
import type { Transport } from "../../sdk/transport.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { alignColumns } from "../output/columns.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";

const options = {
  ...connectionFlags,
  output: { type: "string", short: "o" },
  namespaced: { type: "string" },
  "api-group": { type: "string" },
  "no-headers": { type: "boolean" },
} as const;

/** One resource of a discovery document. */
export interface ApiResource {
  name: string;
  shortNames?: string[];
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories?: string[];
  /** Filled in from the document: `release.stella.io/v1alpha1` or `v1`. */
  groupVersion: string;
}

/** Every top-level resource (subresources left out) the server serves, sorted by group then name. */
export async function discoverResources(transport: Transport): Promise<ApiResource[]> {
  type List = { groupVersion: string; resources: Omit<ApiResource, "groupVersion">[] };
  const groups = await transport.request<{ groups: { preferredVersion: { groupVersion: string } }[] }>({
    method: "GET",
    path: "/apis",
  });
  const docs = [await transport.request<List>({ method: "GET", path: "/api/v1" })];
  for (const g of groups.groups)
    docs.push(await transport.request<List>({ method: "GET", path: `/apis/${g.preferredVersion.groupVersion}` }));
  const out = docs.flatMap((d) =>
    d.resources.filter((r) => !r.name.includes("/")).map((r) => ({ ...r, groupVersion: d.groupVersion })),
  );
  const group = (r: ApiResource) => (r.groupVersion.includes("/") ? r.groupVersion.split("/")[0] : "");
  return out.sort((a, b) => group(a).localeCompare(group(b)) || a.name.localeCompare(b.name));
}

/** `stella api-resources`. */
export const apiResourcesCommand: Command = {
  name: "api-resources",
  summary: "List the resource types the server serves",
  options,
  help: `List the resource types the server serves, with their short names and scope. Any of the
names works as TYPE in get, describe, delete and wait.

Usage: stella api-resources [-o wide|name] [--namespaced=true|false] [--api-group GROUP]

Flags:
  -o, --output FORMAT    wide (adds verbs and categories) or name
  --namespaced BOOL      only namespaced (true) or cluster-scoped (false) types
  --api-group GROUP      only this group ("" for the core group)
  --no-headers           leave out the header line

${CONNECTION_HELP}

Examples:
  stella api-resources
  stella api-resources --namespaced=false -o name`,
  async run(argv) {
    const { values } = parseFlags(argv, options);
    const out = values.output;
    if (out !== undefined && out !== "wide" && out !== "name")
      throw new UsageError(`-o must be wide or name, not "${out}"`);
    if (values.namespaced !== undefined && values.namespaced !== "true" && values.namespaced !== "false")
      throw new UsageError("--namespaced must be true or false");
    const session = await Session.open(values);
    let resources: ApiResource[];
    try {
      resources = await discoverResources(session.client.transport);
    } finally {
      session.close();
    }
    const groupOfR = (r: ApiResource) => (r.groupVersion.includes("/") ? r.groupVersion.split("/")[0] : "");
    resources = resources.filter(
      (r) =>
        (values.namespaced === undefined || String(r.namespaced) === values.namespaced) &&
        (values["api-group"] === undefined || groupOfR(r) === values["api-group"]),
    );
    if (out === "name") {
      process.stdout.write(resources.map((r) => (groupOfR(r) ? `${r.name}.${groupOfR(r)}` : r.name) + "\n").join(""));
      return EXIT.ok;
    }
    const header = [
      "NAME",
      "SHORTNAMES",
      "APIVERSION",
      "NAMESPACED",
      "KIND",
      ...(out === "wide" ? ["VERBS", "CATEGORIES"] : []),
    ];
    const rows = resources.map((r) => [
      r.name,
      (r.shortNames ?? []).join(","),
      r.groupVersion,
      String(r.namespaced),
      r.kind,
      ...(out === "wide" ? [r.verbs.join(","), (r.categories ?? []).join(",")] : []),
    ]);
    process.stdout.write(
      alignColumns(values["no-headers"] ? rows : [header, ...rows])
        .map((l) => l + "\n")
        .join(""),
    );
    return EXIT.ok;
  },
};
