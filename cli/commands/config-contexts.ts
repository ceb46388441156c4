// `stella config get-contexts|current-context|use-context`.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { kubeconfigPaths, loadKubeconfig } from "../../sdk/kubeconfig.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { alignColumns } from "../output/columns.ts";

const fileFlag = { kubeconfig: { type: "string" } } as const;
const listOptions = { ...fileFlag, output: { type: "string", short: "o" }, "no-headers": { type: "boolean" } } as const;

/**
 * The file kubectl writes a context switch to: the explicit file, else the first existing file of $KUBECONFIG (the last
 * when none exists), else ~/.kube/config.
 */
export function destinationFile(
  explicit: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  const { paths } = kubeconfigPaths({ path: explicit, env });
  if (paths.length === 1) return paths[0];
  return paths.find((p) => existsSync(p)) ?? paths[paths.length - 1];
}

/** `stella config get-contexts`. */
export const getContextsCommand: Command = {
  name: "get-contexts",
  summary: "List the contexts (* marks the current one)",
  options: listOptions,
  help: `List the kubeconfig's contexts; * marks the current one.

Usage: stella config get-contexts [NAME...] [-o name] [--no-headers]

Examples:
  stella config get-contexts
  stella config get-contexts -o name`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, listOptions, true);
    if (values.output !== undefined && values.output !== "name")
      throw new UsageError(`-o must be name, not "${values.output}"`);
    const cfg = await loadKubeconfig({ path: values.kubeconfig });
    const missing = positionals.filter((n) => !cfg.contexts.has(n));
    if (missing.length) throw new Error(`context "${missing[0]}" not found`);
    const names = [...cfg.contexts.keys()].filter((n) => positionals.length === 0 || positionals.includes(n)).sort();
    if (values.output === "name") {
      process.stdout.write(names.map((n) => n + "\n").join(""));
      return EXIT.ok;
    }
    const rows = names.map((n) => {
      const c = cfg.contexts.get(n)!.value;
      return [n === cfg.currentContext?.value ? "*" : "", n, c.cluster, c.user ?? "", c.namespace ?? ""];
    });
    const header = values["no-headers"] ? [] : [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]];
    process.stdout.write(
      alignColumns([...header, ...rows])
        .map((l) => l + "\n")
        .join(""),
    );
    return EXIT.ok;
  },
};

/** `stella config current-context`. */
export const currentContextCommand: Command = {
  name: "current-context",
  summary: "Print the current context",
  options: fileFlag,
  help: `Print the name of the current context.

Usage: stella config current-context

Example:
  stella config current-context`,
  async run(argv) {
    const { values } = parseFlags(argv, fileFlag);
    const cfg = await loadKubeconfig({ path: values.kubeconfig });
    if (!cfg.currentContext) throw new Error(`current-context is not set in ${cfg.files.join(", ")}`);
    process.stdout.write(cfg.currentContext.value + "\n");
    return EXIT.ok;
  },
};

/** `stella config use-context NAME`. */
export const useContextCommand: Command = {
  name: "use-context",
  summary: "Make a context the current one",
  options: fileFlag,
  help: `Set current-context in the kubeconfig. With several files in $KUBECONFIG, the first that
exists is changed, as kubectl does.

Usage: stella config use-context NAME

Example:
  stella config use-context stella`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, fileFlag, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one context name");
    const name = positionals[0];
    const cfg = await loadKubeconfig({ path: values.kubeconfig });
    if (!cfg.contexts.has(name))
      throw new Error(`no context exists with the name "${name}" (stella config get-contexts lists them)`);
    const file = destinationFile(values.kubeconfig);
    const text = await readFile(file, "utf8").catch(() => "");
    const doc = parseDocument(text);
    if (!doc.contents) doc.contents = doc.createNode({ apiVersion: "v1", kind: "Config" }) as never;
    doc.set("current-context", name);
    await writeFile(file, doc.toString());
    process.stdout.write(`Switched to context "${name}".\n`);
    return EXIT.ok;
  },
};
