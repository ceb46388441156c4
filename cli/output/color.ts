// Colour: only on a terminal, never when NO_COLOR is set (https://no-color.org) or TERM is dumb.

/** Whether text written to `stream` may carry ANSI colour codes. */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}

/** Colour functions; each returns its input unchanged when colour is off. */
export interface Palette {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const sgr = (on: boolean, open: number, close: number) => (s: string) =>
  on && s ? `\x1b[${open}m${s}\x1b[${close}m` : s;

/** A palette that colours when `on`. */
export function palette(on: boolean): Palette {
  return {
    red: sgr(on, 31, 39),
    green: sgr(on, 32, 39),
    yellow: sgr(on, 33, 39),
    cyan: sgr(on, 36, 39),
    bold: sgr(on, 1, 22),
    dim: sgr(on, 2, 22),
  };
}

/** The palette for this process's standard output. */
export const stdoutPalette = (): Palette => palette(colorEnabled(process.stdout));
/** The palette for this process's standard error. */
export const stderrPalette = (): Palette => palette(colorEnabled(process.stderr));
