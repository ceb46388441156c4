// What the runtime logs through: a structured logger the embedding program provides.

/** A structured logger; fields are plain JSON values. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Writes one JSON line per entry to stderr. */
export const stderrLogger: Logger = {
  info: (msg, fields) =>
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: "info", msg, ...fields }) + "\n"),
  error: (msg, fields) =>
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: "error", msg, ...fields }) + "\n"),
};

/** Drops everything (tests, benchmarks). */
export const silentLogger: Logger = { info: () => {}, error: () => {} };

/** An error as log fields, without its stack. */
export const errorFields = (err: unknown): Record<string, unknown> =>
  err instanceof Error ? { error: err.message, errorType: err.name } : { error: String(err) };
