// Flag parsing for commands (node:util parseArgs), with errors as UsageError.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command.ts";

/** Parses argv against option definitions; unknown flags and missing values are usage errors. */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** Parses a duration flag like 90s, 15m, 24h, 30d into seconds. */
export function parseDurationSeconds(value: string, flagName: string): number {
  const m = /^([0-9]+)(s|m|h|d)$/.exec(value.trim());
  if (!m) throw new UsageError(`--${flagName} must be a duration such as 90s, 15m, 24h or 30d, not "${value}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
  const seconds = Number(m[1]) * unit;
  if (seconds <= 0) throw new UsageError(`--${flagName} must be positive`);
  return seconds;
}

/** Parses a TCP port flag. */
export function parsePort(value: string, flagName: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 0 || n > 65535) throw new UsageError(`--${flagName} must be a port number (0-65535), not "${value}"`);
  return n;
}
