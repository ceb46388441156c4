// `stella create namespace NAME`: a namespace, as `kubectl create namespace` makes one.
import { namespaceKind } from "../../crds/namespace.ts";
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { formatObjects, objectName, parseOutput } from "../output/objects.ts";
import { connectionFlags, CONNECTION_HELP, Session } from "../session.ts";
import { dryRunFlag, parseDryRun, dryRunSuffix } from "../dry-run.ts";

const options = { ...connectionFlags, ...dryRunFlag, output: { type: "string", short: "o" } } as const;

/** `stella create namespace`. */
export const createNamespaceCommand: Command = {
  name: "namespace",
  summary: "Create a namespace",
  options,
  help: `Create a namespace.

Usage: stella create namespace NAME [--dry-run=server|client] [-o yaml|json|name]

Flags:
  --dry-run MODE    server: validate on the server without storing; client: only print
  -o, --output      yaml, json or name instead of the "created" line

${CONNECTION_HELP}

Examples:
  stella create namespace shop
  stella create namespace shop --dry-run=server -o yaml`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, options, true);
    if (positionals.length !== 1) throw new UsageError("give exactly one namespace name");
    const dryRun = parseDryRun(values["dry-run"]);
    const output = parseOutput(values.output, ["table", "yaml", "json", "name"]);
    const session = await Session.open(values);
    try {
      const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: positionals[0] } };
      const created =
        dryRun === "client"
          ? ns
          : await session.client.resource(namespaceKind).create(ns, { dryRun: dryRun === "server" });
      if (output.kind === "table")
        process.stdout.write(`${objectName(namespaceKind, created.metadata.name)} created${dryRunSuffix(dryRun)}\n`);
      else process.stdout.write(formatObjects([{ info: namespaceKind, object: created }], output, { single: true }));
      return EXIT.ok;
    } finally {
      session.close();
    }
  },
};
