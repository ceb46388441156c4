// Commands on an SSH host: argv quoted for the remote shell, variables handed over on stdin (never
// on the command line, where `ps` would show Secret values, and never through SendEnv, which sshd
// filters), output kept to a tail, and a timeout after which the command is killed.
import type { ClientChannel } from "ssh2";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";
import type { SshConnection } from "./connection.ts";

/** One finished remote command. */
export interface RemoteRun {
  /** Exit code; null when it was killed or the channel closed without one. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** `value` as one word for a POSIX shell. */
export const shellWord = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

// Reads `NAME base64` lines from stdin, exports each decoded, then runs its arguments.
const WITH_STDIN_ENV = `while read -r n v; do export "$n=$(printf %s "$v" | base64 -d)"; done; exec "$@"`;

const TAIL = 64 * 1024;

/**
 * Runs `argv` on the host with `env` set, within `timeoutMs`. Resolves whatever the exit code;
 * rejects with DriverError(Unreachable) only when no channel could be opened or `signal` aborted.
 */
export async function runRemote(
  connection: SshConnection,
  argv: readonly string[],
  options: { env?: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<RemoteRun> {
  const env = options.env ?? {};
  const command = ["sh", "-c", WITH_STDIN_ENV, "sh", ...argv].map(shellWord).join(" ");
  const what = argv.join(" ");
  const channel = await connection.channel<ClientChannel>(
    what,
    (client) =>
      new Promise((resolve, reject) => client.exec(command, (err, stream) => (err ? reject(err) : resolve(stream)))),
  );
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const keep = (text: string, chunk: Buffer) => (text + chunk.toString("utf8")).slice(-TAIL);
    channel.on("data", (chunk: Buffer) => (stdout = keep(stdout, chunk)));
    channel.stderr.on("data", (chunk: Buffer) => (stderr = keep(stderr, chunk)));
    const stop = () => {
      channel.signal("KILL");
      channel.close();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    channel.once("close", (code: number | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (options.signal?.aborted && !timedOut)
        reject(new DriverError(DriverReasons.ApplyFailed, `${connection.name}: ${what}: aborted`, true));
      else resolve({ code: typeof code === "number" ? code : null, stdout, stderr, timedOut });
    });
    const lines = Object.entries(env).map(([n, v]) => `${n} ${Buffer.from(v).toString("base64")}\n`);
    channel.end(lines.join(""));
  });
}
