// Structured logs on stderr, one entry per line with a level, a message and fields: JSON for
// machines (the default when stderr is not a terminal), or text for a person reading a terminal.
// Callers pass fields, never secrets: tokens and Secret data are not logged anywhere.
import { textLine } from "./text-line.ts";

/** The levels, in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A structured logger. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line. */
  with(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** How entries are written: JSON lines, or text lines for a terminal (with colour when `color`). */
export type LogFormat = { kind: "json" } | { kind: "text"; color: boolean };

/** One entry as written. */
export interface LogEntry {
  time: Date;
  level: LogLevel;
  msg: string;
  fields: Record<string, unknown>;
}

type Out = (line: string) => void;
const stderr: Out = (l) => process.stderr.write(l);

/** Writes entries at or above `level` to `out` (stderr by default) in `format`. */
export function logger(
  level: LogLevel,
  format: LogFormat,
  out: Out = stderr,
  base: Record<string, unknown> = {},
): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const entry = { time: new Date(), level: lvl, msg, fields: { ...base, ...fields } };
    out(format.kind === "json" ? jsonLine(entry) : textLine(entry, format.color));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    with: (f) => logger(level, format, out, { ...base, ...f }),
  };
}

/** Writes JSON lines at or above `level` to `out` (stderr by default). */
export function jsonLogger(level: LogLevel = "info", out: Out = stderr): Logger {
  return logger(level, { kind: "json" }, out);
}

function jsonLine(e: LogEntry): string {
  return JSON.stringify({ time: e.time.toISOString(), level: e.level, msg: e.msg, ...e.fields }) + "\n";
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, with: () => silentLogger };
