// `stella deployment artifacts DEPLOYMENT`: commands about one deployment beyond get and describe.
import { deploymentKind } from "../../crds/deployment.ts";
import { type Command } from "../command.ts";
import { runSubcommand } from "../subcommands.ts";
import { targetKind } from "../../crds/target.ts";
import { deploymentArtifactsCommand } from "./deployment-artifacts.ts";

const subcommands: readonly Command[] = [deploymentArtifactsCommand];

/** `stella deployment`. */
export const deploymentCommand: Command = {
  name: "deployment",
  summary: "Print what a deployment generated (artifacts)",
  subcommands: subcommands.map((c) => c.name),
  options: Object.assign({}, ...subcommands.map((c) => c.options)),
  completion: {
    argument: (positionals) => (positionals.length === 1 ? deploymentKind : undefined),
    flagKinds: { target: targetKind },
    flagValues: { output: ["name", "json"] },
  },
  help: `Commands about one deployment. To list or read deployments use "stella get deployments" and
"stella describe deployment NAME"; to follow or steer one, "stella rollout".

Usage: stella deployment <subcommand> DEPLOYMENT [flags]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}

Examples:
  stella deployment artifacts shop-1-4-0-dev -n shop
  stella deployment artifacts shop-1-4-0-dev -n shop --target docker-1 --component web`,
  run: (argv) => runSubcommand(subcommands, argv),
};
