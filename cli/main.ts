// `stella`: the command-line entry point. Dispatches to subcommands, prints help, and turns
// failures into one-line messages with stable exit codes.
import { EXIT, UsageError, type Command } from "./command.ts";
import { errorMessage } from "./error-message.ts";
import { hoistLeadingFlags } from "./global-flags.ts";
import { stderrPalette } from "./output/color.ts";
import { commandEntries, findCommand } from "./registry.ts";
import { suggestions } from "./suggest.ts";

const GROUPS = {
  Basic: "Basic commands",
  Deploy: "Deploy commands",
  Approve: "Approval and audit commands",
  Settings: "Settings and discovery",
  Server: "Server commands",
} as const;

function usage(): string {
  const listed = commandEntries.filter((c) => c.group);
  const width = Math.max(...listed.map((c) => c.name.length));
  const lines = [
    "stella: the release control plane for Docker, Compose, ECS and Nomad estates.",
    "",
    "Usage: stella <command> [flags]",
  ];
  for (const [group, title] of Object.entries(GROUPS)) {
    lines.push("", `${title}:`);
    for (const c of listed.filter((e) => e.group === group)) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  }
  lines.push(
    "",
    "Global flags, accepted by every command before or after its name: --kubeconfig FILE, --context NAME,",
    "-n/--namespace NS, -A/--all-namespaces, --request-timeout DURATION (30s, 1m; 0 waits for ever).",
    "",
    "Examples:",
    "  stella create namespace shop",
    "  stella apply -f estate.yaml",
    "  stella get environments -n shop -w",
    "  stella rollout status shop-1-4-0-dev -n shop -w",
    '  stella approve shop-1-4-0-to-staging -n shop --comment "soaked clean in dev"',
    "  stella audit -n shop --since 1h",
    "",
    'Run "stella <command> --help" for a command\'s flags and examples.',
  );
  return lines.join("\n");
}

/** Whether `--help` is meant for `command` itself rather than one of its subcommands. */
const helpIsForCommand = (command: Command, rest: string[]) =>
  (rest.includes("--help") || rest.includes("-h")) && !(command.subcommands && command.subcommands.includes(rest[0]));

async function main(argv: string[]): Promise<number> {
  const [name, ...given] = hoistLeadingFlags(argv);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage() + "\n");
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = findCommand(name);
  if (!entry) {
    const near = suggestions(
      name,
      commandEntries.filter((c) => c.group).map((c) => c.name),
    );
    const hint = near.length ? `Did you mean ${near.map((n) => `"${n}"`).join(" or ")}?\n` : "";
    process.stderr.write(`stella: unknown command "${name}"\n${hint}Run "stella --help" for the list of commands.\n`);
    return EXIT.usage;
  }
  const command = await entry.load();
  // Global flags may also stand between a command and its subcommand (`stella create -n x namespace`).
  const rest = command.subcommands ? hoistLeadingFlags(given) : given;
  if (helpIsForCommand(command, rest)) {
    process.stdout.write(command.help.trimEnd() + "\n");
    return EXIT.ok;
  }
  const prefix = stderrPalette().red(`stella ${command.name}:`);
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${prefix} ${err.message}\nRun "stella ${command.name} --help" for usage.\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${prefix} ${errorMessage(err)}\n`);
    if (process.env.STELLA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return command.errorExitCode ?? EXIT.failure;
  }
}

// A reader that stops early (`stella get … | head`) is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(EXIT.ok);
  throw err;
});

const code = await main(process.argv.slice(2));
// Flush, then exit even if a watch or keep-alive socket is still open.
await new Promise<void>((done) => process.stdout.write("", () => done()));
await new Promise<void>((done) => process.stderr.write("", () => done()));
process.exit(code);
