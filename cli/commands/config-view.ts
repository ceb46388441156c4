// `stella config view`: the merged kubeconfig, secrets redacted unless --raw.
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { loadKubeconfig } from "../../sdk/kubeconfig.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { toJson, toYaml } from "../output/objects.ts";

const options = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  raw: { type: "boolean" },
  minify: { type: "boolean" },
  output: { type: "string", short: "o" },
} as const;

type Entry = { name: string; [k: string]: unknown };
type Merged = { clusters: Entry[]; contexts: Entry[]; users: Entry[]; "current-context"?: string };

const REDACTED_DATA = ["certificate-authority-data", "client-certificate-data", "client-key-data"];
const REDACTED_SECRETS = ["token", "password"];

/**
 * Merges kubeconfig documents as kubectl does: the first file to name an entry (or current-context) wins; entries
 * sorted by name.
 */
export function mergeKubeconfigs(docs: Record<string, unknown>[]): Merged {
  const out: Merged = { clusters: [], contexts: [], users: [] };
  for (const doc of docs) {
    if (!out["current-context"] && typeof doc["current-context"] === "string" && doc["current-context"])
      out["current-context"] = doc["current-context"];
    for (const key of ["clusters", "contexts", "users"] as const)
      for (const e of (doc[key] as Entry[] | undefined) ?? [])
        if (!out[key].some((x) => x.name === e.name)) out[key].push(e);
  }
  for (const key of ["clusters", "contexts", "users"] as const) out[key].sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

/** Replaces key material with DATA+OMITTED and tokens and passwords with REDACTED, as kubectl does. */
export function redact(cfg: Merged): Merged {
  const hide = (section: "cluster" | "user") => (e: Entry) => {
    const inner = { ...((e[section] as Record<string, unknown> | undefined) ?? {}) };
    for (const k of REDACTED_DATA) if (inner[k]) inner[k] = "DATA+OMITTED";
    for (const k of REDACTED_SECRETS) if (inner[k]) inner[k] = "REDACTED";
    return { ...e, [section]: inner };
  };
  return { ...cfg, clusters: cfg.clusters.map(hide("cluster")), users: cfg.users.map(hide("user")) };
}

/** Keeps only the context in use, its cluster and its user. */
export function minify(cfg: Merged, context: string | undefined): Merged {
  const name = context ?? cfg["current-context"];
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx)
    throw new Error(name ? `no context named "${name}"` : "current-context is not set; --minify needs a context");
  const inner = (ctx.context ?? {}) as { cluster?: string; user?: string };
  return {
    "current-context": name,
    contexts: [ctx],
    clusters: cfg.clusters.filter((c) => c.name === inner.cluster),
    users: cfg.users.filter((u) => u.name === inner.user),
  };
}

/** `stella config view`. */
export const configViewCommand: Command = {
  name: "view",
  summary: "Print the merged kubeconfig (secrets redacted)",
  options,
  help: `Print the merged kubeconfig. Certificates and keys print as DATA+OMITTED and tokens as
REDACTED unless --raw.

Usage: stella config view [--minify] [--raw] [-o yaml|json]

Flags:
  --minify          only the current context (or --context NAME), its cluster and user
  --raw             print certificates, keys and tokens
  --context NAME    with --minify: this context instead of the current one
  --kubeconfig FILE the kubeconfig to read

Examples:
  stella config view
  stella config view --minify --raw > ci.kubeconfig`,
  async run(argv) {
    const { values } = parseFlags(argv, options);
    const format = values.output ?? "yaml";
    if (format !== "yaml" && format !== "json") throw new UsageError(`-o must be yaml or json, not "${format}"`);
    const loaded = await loadKubeconfig({ path: values.kubeconfig });
    const docs = await Promise.all(
      loaded.files.map(async (f) => (parse(await readFile(f, "utf8")) ?? {}) as Record<string, unknown>),
    );
    let cfg = mergeKubeconfigs(docs);
    if (values.minify) cfg = minify(cfg, values.context);
    if (!values.raw) cfg = redact(cfg);
    const out = { apiVersion: "v1", kind: "Config", preferences: {}, ...cfg };
    process.stdout.write(format === "json" ? toJson(out) : toYaml(out));
    return EXIT.ok;
  },
};
