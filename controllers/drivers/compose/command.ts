// Running the compose CLI: which one (`docker compose` v2 when it answers, else the standalone
// `docker-compose`, or what the target names), against which engine (DOCKER_HOST: the one the
// driver's API client talks to), with which environment (the file's interpolation variables, and
// nothing inherited that would change what compose does), and what a failure says (the last lines
// of its output, redacted).
import { spawn } from "node:child_process";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";

/** A compose CLI that answered `version`. */
export interface ComposeCli {
  /** Argv prefix, e.g. ["docker", "compose"] or ["docker-compose"]. */
  command: readonly string[];
  /** The version it reported (`1.29.2`, `2.24.0`), or the whole first line when none was found. */
  version: string;
}

/** One finished compose process. */
export interface ComposeRun {
  /** Exit code; null when it was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

// Inherited variables that would point compose elsewhere or change what it does: another engine,
// context or TLS material, another project, file or orphan policy, or stale Stella variables.
const DROPPED = /^(COMPOSE_.*|STELLA_SECRET_.*|STELLA_ARTIFACT|DOCKER_(HOST|CONTEXT|TLS|TLS_VERIFY|CERT_PATH))$/;

/**
 * The environment of a compose process: `base` without the variables that would redirect compose,
 * plus DOCKER_HOST (`unix:///path` or `tcp://host:port`), COMPOSE_IGNORE_ORPHANS (the other slot's services are not orphans to warn
 * about, and never to remove) and `variables` (the file's interpolation variables).
 */
export function composeEnv(
  base: NodeJS.ProcessEnv,
  host: string,
  variables: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!DROPPED.test(name)) env[name] = value;
  return { ...env, DOCKER_HOST: host, COMPOSE_IGNORE_ORPHANS: "true", ...variables };
}

/** Keeps the last `limit` characters of a stream (compose's progress output can be long). */
class Tail {
  private text = "";
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.text += chunk.toString("utf8");
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text.slice(-this.limit);
  }
}

/**
 * Runs `argv` (the CLI prefix plus arguments) to completion. Resolves with its exit code and
 * output whatever the code; rejects with DriverError only when it could not start (ENOENT) or
 * `signal` aborted it.
 */
export function runCompose(
  argv: readonly string[],
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; timeoutMs?: number; cwd?: string },
): Promise<ComposeRun> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    const child = spawn(file, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      signal: options.signal,
    });
    const stdout = new Tail(64 * 1024);
    const stderr = new Tail(64 * 1024);
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.name === "AbortError")
        reject(new DriverError(DriverReasons.ApplyFailed, `${argv.join(" ")}: aborted`, true, { cause: err }));
      else
        reject(
          new DriverError(
            DriverReasons.InvalidTarget,
            `${argv.join(" ")}: cannot run (${err.code ?? err.message})`,
            true,
            { cause: err },
          ),
        );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString(), timedOut });
    });
  });
}

/**
 * The last `lines` non-empty lines of a run's output (stderr, where compose reports, then stdout),
 * with every occurrence of a `secrets` value replaced by `***`.
 */
export function outputTail(run: ComposeRun, secrets: readonly string[], lines = 12): string {
  let text = `${run.stderr}\n${run.stdout}`;
  for (const value of [...secrets].sort((a, b) => b.length - a.length)) if (value) text = text.replaceAll(value, "***");
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "")
    .slice(-lines)
    .join("\n");
}

const VERSION = /\bv?(\d+\.\d+\.\d+[^\s,]*)/;

/** Runs `<command> version`; the CLI when it answers, undefined when it fails or is missing. */
async function tryCli(
  command: readonly string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<ComposeCli | undefined> {
  try {
    const run = await runCompose([...command, "version"], { env, signal, timeoutMs: 30_000 });
    if (run.code !== 0) return undefined;
    const first = run.stdout.split("\n")[0].trim();
    return { command, version: VERSION.exec(run.stdout)?.[1] ?? first };
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
}

/**
 * The compose CLI to use: `configured` when given (DriverError(InvalidTarget) when it does not
 * answer `version`), else `docker compose` when it answers, else `docker-compose`.
 */
export async function detectComposeCli(
  configured: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<ComposeCli> {
  const candidates = configured ? [configured] : [["docker", "compose"], ["docker-compose"]];
  for (const command of candidates) {
    const cli = await tryCli(command, env, signal);
    if (cli) return cli;
  }
  const tried = candidates.map((c) => `\`${c.join(" ")} version\``).join(", ");
  // Transient: installing compose on the controller's host fixes it without touching the target.
  throw new DriverError(DriverReasons.InvalidTarget, `no compose command works here (tried ${tried})`, true);
}
