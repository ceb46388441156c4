// Flag parsing for commands (node:util parseArgs), with errors as UsageError.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command.ts";
import { globalFlags } from "./global-flags.ts";

/**
 * Parses argv against option definitions; unknown flags, missing values and (unless allowed)
 * positionals are usage errors. The global flags (global-flags.ts) are accepted by every command;
 * those the command does not declare are parsed and dropped.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  // kubectl habits: `--wait=false`, `--server-side=true`. parseArgs takes no value for a boolean.
  const all = { ...globalFlags, ...options };
  const isBoolean = (name: string) => (all as ParseArgsConfig["options"])?.[name]?.type === "boolean";
  const negated: string[] = [];
  const args: string[] = [];
  for (const word of argv) {
    const m = /^--([^=]+)=(true|false)$/.exec(word);
    if (!m || !isBoolean(m[1]) || args.includes("--")) args.push(word);
    else if (m[2] === "true") args.push(`--${m[1]}`);
    else negated.push(m[1]);
  }
  try {
    const { values, positionals } = parseArgs({ args, options: all, allowPositionals, strict: true });
    for (const name of negated) (values as Record<string, unknown>)[name] = false;
    for (const name of Object.keys(globalFlags))
      if (!(name in options)) delete (values as Record<string, unknown>)[name];
    return { values, positionals: positionals as string[] };
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

/** Parses a size flag in bytes as Kubernetes writes quantities (`192Mi`, `1Gi`, `512Ki`, `0`). */
export function parseBytes(value: string, flagName: string): number {
  const m = /^([0-9]+)(Ki|Mi|Gi)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--${flagName} must be a size such as 512Ki, 192Mi, 1Gi or 0, not "${value}"`);
  const unit = { "": 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[(m[2] ?? "") as "" | "Ki" | "Mi" | "Gi"];
  return Number(m[1]) * unit;
}

/** Parses a count flag: a whole number of at least `min`. */
export function parseCount(value: string, flagName: string, min: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value.trim()) || n < min)
    throw new UsageError(`--${flagName} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

/** Parses a TCP port flag. */
export function parsePort(value: string, flagName: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 0 || n > 65535)
    throw new UsageError(`--${flagName} must be a port number (0-65535), not "${value}"`);
  return n;
}

/** Parses a Go duration as kubectl's --timeout takes it (`30s`, `1m30s`, `500ms`, `0`) into milliseconds. */
export function parseTimeoutMs(value: string, flagName = "timeout"): number {
  const v = value.trim();
  if (v === "0") return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = v;
  while (rest.length > 0) {
    const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new UsageError(`--${flagName} must be a duration such as 30s, 5m or 1m30s, not "${value}"`);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  if (v.length === 0) throw new UsageError(`--${flagName} must not be empty`);
  return Math.round(total);
}
