// `stella`: the command-line entry point. Dispatches to subcommands, prints help, and turns
// failures into one-line messages with stable exit codes.
import { EXIT, UsageError, type Command } from "./command.ts";
import { serverCommand } from "./server/server-command.ts";
import { tokenCommand } from "./server/token-command.ts";
import { versionCommand } from "./version-command.ts";

const commands: Command[] = [serverCommand, tokenCommand, versionCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "stella: the release control plane for Docker, Compose, ECS and Nomad estates.",
    "",
    "Usage: stella <command> [flags]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    'Run "stella <command> --help" for a command\'s flags and examples.',
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage() + "\n");
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`stella: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help.trimEnd() + "\n");
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`stella ${command.name}: ${err.message}\nRun "stella ${command.name} --help" for usage.\n`);
      return EXIT.usage;
    }
    process.stderr.write(`stella ${command.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
