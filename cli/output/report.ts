// Lines on standard error, prefixed as the dispatcher prefixes failures (`stella apply: …`).
import { stderrPalette } from "./color.ts";

/** Writes `stella <command>: <message>` to standard error. */
export function reportError(command: string, message: string): void {
  process.stderr.write(`${stderrPalette().red(`stella ${command}:`)} ${message}\n`);
}

/** Writes `stella <command>: <message>` to standard error without the failure colour. */
export function reportNote(command: string, message: string): void {
  process.stderr.write(`${stderrPalette().dim(`stella ${command}:`)} ${message}\n`);
}
