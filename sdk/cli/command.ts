// The shape of a CLI command: a name, a one-line summary, help text with an example, and a run
// function returning the process exit code.

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The command failed (server said no, object invalid, wait timed out, ...). */
  failure: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;

/** One `stella` subcommand. */
export interface Command {
  name: string;
  summary: string;
  /** Full help: usage, flags, and at least one example. */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** A mistake on the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
