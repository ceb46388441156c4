// `stella create KIND ...`: one subcommand per kind that has something to say on the command
// line (kubectl's `create namespace`, later `create secret generic`). A subcommand is a Command
// of its own; adding one is one file and one line here.
import { EXIT, UsageError, type Command } from "../command.ts";
import { createNamespaceCommand } from "./create-namespace.ts";
import { createSecretCommand } from "./create-secret.ts";

const subcommands: readonly Command[] = [createNamespaceCommand, createSecretCommand];

const help = `Create an object from the command line.

Usage: stella create <kind> NAME [flags]

Kinds:
${subcommands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join("\n")}

To create objects from manifests, use "stella apply -f FILE".

Examples:
  stella create namespace shop
  stella create secret generic registry-login -n shop --from-literal username=ci --from-literal password=s3cret
  stella create namespace --help`;

/** `stella create`. */
export const createCommand: Command = {
  name: "create",
  summary: "Create a namespace or a Secret from the command line",
  subcommands: subcommands.map((c) => c.name),
  help,
  async run(argv) {
    const [kind, ...rest] = argv;
    if (!kind) throw new UsageError(`name what to create: ${subcommands.map((c) => c.name).join(", ")}`);
    const sub = subcommands.find((c) => c.name === kind || (c.name === "namespace" && kind === "ns"));
    if (!sub)
      throw new UsageError(
        `cannot create "${kind}" from the command line (choose ${subcommands.map((c) => c.name).join(", ")}, or use "stella apply -f")`,
      );
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(sub.help.trimEnd() + "\n");
      return EXIT.ok;
    }
    return sub.run(rest);
  },
};
