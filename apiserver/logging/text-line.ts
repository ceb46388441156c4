// A log entry as a line for a person at a terminal, as kubectl's and most daemons' console
// output reads: `14:03:07.412 INFO  request user=admin verb=list code=200 ms=3`. Values with spaces
// or quotes are quoted; the level is coloured when the terminal takes colour.
import type { LogEntry } from "./logger.ts";

const LEVEL_COLOR = { debug: "\x1b[2m", info: "\x1b[36m", warn: "\x1b[33m", error: "\x1b[31m" } as const;
const RESET = "\x1b[0m";

/** The entry as one text line, ending in a newline. */
export function textLine(e: LogEntry, color: boolean): string {
  const time = e.time.toISOString().slice(11, 23);
  const level = e.level.toUpperCase().padEnd(5);
  const shown = color ? `${LEVEL_COLOR[e.level]}${level}${RESET}` : level;
  const fields = Object.entries(e.fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${fieldValue(v)}`);
  return [time, shown, e.msg, ...fields].join(" ") + "\n";
}

function fieldValue(v: unknown): string {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  // Control characters (a hostile path, a newline in a message) never break the line.
  return /^[^\s"=\x00-\x1f\x7f]+$/.test(text) ? text : JSON.stringify(text);
}
