// The shape of a CLI command: a name, a one-line summary, help text with an example, and a run
// function returning the process exit code.
import type { ParseArgsConfig } from "node:util";

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
  /** Exit code when run throws (default EXIT.failure); `diff` uses 2, as kubectl does. */
  errorExitCode?: number;
}

/** A mistake on the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
