// `stella deployment artifacts DEPLOYMENT`: commands about one deployment beyond get and describe.
import { deploymentKind } from "../../../crds/deployment.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { targetKind } from "../../../crds/target.ts";
import { deploymentArtifactsCommand } from "./deployment-artifacts.ts";

const subcommands: readonly Command[] = [deploymentArtifactsCommand];

/** `stella deployment`. */
export const deploymentCommand: Command = {
  name: "deployment",
  summary: "Print what a deployment generated (artifacts)",
  subcommands: subcommands.map((c) => c.name),
  options: Object.assign({}, ...subcommands.map((c) => c.options)),
  completion: { argument: (positionals) => (positionals.length === 1 ? deploymentKind : undefined), flagKinds: { target: targetKind }, flagValues: { output: ["name", "json"] } },
  help: `Commands about one deployment. To list or read deployments use "stella get deployments" and
"stella describe deployment NAME"; to follow or steer one, "stella rollout".

Usage: stella deployment <subcommand> DEPLOYMENT [flags]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}

Examples:
  stella deployment artifacts shop-1-4-0-dev -n shop
  stella deployment artifacts shop-1-4-0-dev -n shop --target docker-1 --component web`,
  async run(argv) {
    const [name, ...rest] = argv;
    const sub = subcommands.find((c) => c.name === name);
    const names = subcommands.map((c) => c.name).join(", ");
    if (!sub) throw new UsageError(name ? `unknown subcommand "${name}" (choose ${names})` : `name a subcommand: ${names}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(sub.help.trimEnd() + "\n");
      return EXIT.ok;
    }
    return sub.run(rest);
  },
};
