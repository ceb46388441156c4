// The shape of a CLI command: a name, a one-line summary, help text with an example, and a run
// function returning the process exit code.
import type { ParseArgsConfig } from "node:util";
import type { KindInfo } from "../crds/scheme-types.ts";

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The command failed (server said no, object invalid, wait timed out, ...). */
  failure: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;

/** Flag definitions as node:util parseArgs takes them. */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** One `stella` subcommand. */
export interface Command {
  name: string;
  summary: string;
  /** Full help: usage, flags, and at least one example. */
  help: string;
  run(argv: string[]): Promise<number>;
  /** The command's flags, for shell completion. */
  options?: FlagOptions;
  /** Words that may follow the command (e.g. `create namespace`), for shell completion. */
  subcommands?: readonly string[];
  /** Shell completion of object names and flag values, beyond flags and subcommands. */
  completion?: CompletionHints;
  /** Exit code when run throws (default EXIT.failure); `diff` uses 2, as kubectl does. */
  errorExitCode?: number;
}

/** What a command's words name, for shell completion. Flag names are long names without dashes. */
export interface CompletionHints {
  /** The kind whose object names may come next, given the positional words so far (a subcommand included). */
  argument?(positionals: readonly string[]): KindInfo | undefined;
  /** Flags whose value is the name of an object of a kind, e.g. `to` a Release. */
  flagKinds?: Readonly<Record<string, KindInfo>>;
  /** Flags with a fixed set of values, e.g. `output` name or json; these win over the shared ones. */
  flagValues?: Readonly<Record<string, readonly string[]>>;
}

/** A mistake on the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Prints `command`'s help on stdout; the exit code of a help request. */
export function printHelp(command: Command): number {
  process.stdout.write(command.help.trimEnd() + "\n");
  return EXIT.ok;
}
