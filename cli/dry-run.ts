// --dry-run=none|server|client, shared by the commands that write.
import { UsageError } from "./command.ts";

/** The --dry-run flag definition. */
export const dryRunFlag = { "dry-run": { type: "string" } } as const;

/** What --dry-run asked for. */
export type DryRun = "none" | "server" | "client";

/** Parses --dry-run (a bare flag would be `server`'s safer cousin, so a value is required). */
export function parseDryRun(
  value: string | undefined,
  allowed: readonly DryRun[] = ["none", "server", "client"],
): DryRun {
  if (value === undefined) return "none";
  if (!(allowed as string[]).includes(value))
    throw new UsageError(`--dry-run must be ${allowed.join(", ")}, not "${value}"`);
  return value as DryRun;
}

/** The suffix kubectl prints after each line of a dry run. */
export const dryRunSuffix = (d: DryRun): string =>
  d === "server" ? " (server dry run)" : d === "client" ? " (dry run)" : "";
