// `stella config view|use-context|get-contexts|current-context`: kubeconfig contexts, as
// `kubectl config` shows and switches them.
import { type Command } from "../command.ts";
import { runSubcommand } from "../subcommands.ts";
import { currentContextCommand, getContextsCommand, useContextCommand } from "./config-contexts.ts";
import { configViewCommand } from "./config-view.ts";

const subcommands: readonly Command[] = [
  configViewCommand,
  getContextsCommand,
  currentContextCommand,
  useContextCommand,
];

/** `stella config`. */
export const configCommand: Command = {
  name: "config",
  summary: "Show and switch kubeconfig contexts",
  subcommands: subcommands.map((c) => c.name),
  help: `Show and switch kubeconfig contexts. The kubeconfig is found as kubectl finds it:
--kubeconfig FILE, else the files of $KUBECONFIG, else ~/.kube/config.

Usage: stella config <subcommand> [flags]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(17)}${c.summary}`).join("\n")}

Examples:
  stella config get-contexts
  stella config use-context stella
  stella config view --minify`,
  run: (argv) => runSubcommand(subcommands, argv),
};
