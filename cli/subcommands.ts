// Commands made of subcommands (`stella config view`, `stella rollout pause`): choosing the
// subcommand, its --help, and the usage error that names the choices.
import { EXIT, UsageError, type Command } from "./command.ts";
import { hoistLeadingFlags } from "./global-flags.ts";

/** Runs the subcommand `argv[0]` names (global flags may stand before it) with the rest of `argv`. */
export async function runSubcommand(subcommands: readonly Command[], argv: string[]): Promise<number> {
  const [name, ...rest] = hoistLeadingFlags(argv);
  const sub = subcommands.find((c) => c.name === name);
  const names = subcommands.map((c) => c.name).join(", ");
  if (!sub)
    throw new UsageError(name ? `unknown subcommand "${name}" (choose ${names})` : `name a subcommand: ${names}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(sub.help.trimEnd() + "\n");
    return EXIT.ok;
  }
  return sub.run(rest);
}
