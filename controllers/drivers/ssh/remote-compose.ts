// runtime: compose on an SSH host. The compose file (digest-pinned images, Secret values only as
// variables) is copied over SFTP to a path of its own per release and content digest, where it stays
// for inspection and replay; compose runs on the host against the host's engine, its variables
// handed over on stdin. The rest of apply (pulls, what to leave alone) is the compose driver's.
// After a successful `up`, the files of all but the KEPT_RELEASES newest releases of that namespace
// and environment are removed.
import type { SFTPWrapper } from "ssh2";
import { artifactDigest } from "../../../crds/artifact.ts";
import { DriverError, DriverReasons, type UnitSet } from "../../../sdk/plugins/driver.ts";
import { outputTail, UP_TIMEOUT_MS, type ComposeCli, type ComposeUp } from "../compose/index.ts";
import { probeEngine, type Engine } from "../../engine/index.ts";
import type { SshConnection } from "./connection.ts";
import { runRemote } from "./remote-command.ts";

/**
 * Where compose files go on the host: `<dir>/<project>/<namespace>/<environment>/<release>/<sha256>.yaml`.
 * One directory level per name: environment and release names may contain dots, so a joined
 * `<environment>.<release>` would let environment `prod` claim `prod.eu`'s releases when pruning.
 */
export const REMOTE_COMPOSE_DIR = "/var/lib/stella/compose";

/**
 * Release directories kept per namespace and environment in a project: the one just applied and the
 * two applied before it (the current release, the previous one a rollback goes to, and one more for
 * a release that failed or was rolled back). Older ones are removed after a successful `up`.
 */
export const KEPT_RELEASES = 3;

// $1 the environment's directory, $2 how many to keep, $3 the release directory just applied:
// marks it the newest, then removes the release directories beyond the newest $2.
const PRUNE = `cd "$1" || exit 0
touch -- "$3"
ls -1dt -- */ | tail -n +$(($2 + 1)) | while read -r d; do
  [ "\${d%/}" = "$3" ] || rm -rf -- "\${d%/}"
done`;

/** The path of a set's compose file on the host. */
export function remoteComposePath(project: string, set: UnitSet, content: string): string {
  const hex = artifactDigest(content).slice("sha256:".length);
  return `${REMOTE_COMPOSE_DIR}/${project}/${set.namespace}/${set.environment}/${set.release}/${hex}.yaml`;
}

/** `docker compose` when it answers on the host, else `docker-compose`; InvalidTarget when neither does. */
export async function detectRemoteCompose(
  connection: SshConnection,
  configured: readonly string[] | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ComposeCli> {
  const candidates = configured ? [configured] : [["docker", "compose"], ["docker-compose"]];
  for (const command of candidates) {
    const run = await runRemote(connection, [...command, "version", "--short"], { timeoutMs, signal });
    if (run.code === 0) return { command, version: run.stdout.trim().split("\n")[0] };
  }
  const tried = candidates.map((c) => `\`${c.join(" ")}\``).join(", ");
  throw new DriverError(
    DriverReasons.InvalidTarget,
    `${connection.name}: no compose command works (tried ${tried})`,
    true,
  );
}

/** Settings of remoteUp. */
export interface RemoteComposeOptions {
  connection: SshConnection;
  engine: Engine;
  /** The engine socket on the host. */
  socket: string;
  project: string;
  cli(signal?: AbortSignal): Promise<ComposeCli>;
  timeoutMs: number;
}

/** The `up` of compose apply for `set`, run on the host. */
export function remoteUp(o: RemoteComposeOptions, set: UnitSet): ComposeUp {
  return async (file, services, variables, secretValues, signal) => {
    const cli = await o.cli(signal);
    const path = remoteComposePath(o.project, set, file.content);
    const dir = path.slice(0, path.lastIndexOf("/"));
    const mkdir = await runRemote(o.connection, ["mkdir", "-p", "-m", "0700", dir], { timeoutMs: o.timeoutMs, signal });
    if (mkdir.code !== 0)
      throw new DriverError(
        DriverReasons.ApplyFailed,
        `${o.connection.name}: mkdir ${dir}: ${mkdir.stderr.trim()}`,
        true,
      );
    await upload(o.connection, path, file.content);
    const argv = [...cli.command, "-p", o.project, "-f", path, "up", "-d", "--no-deps", ...services];
    const env = { ...variables, DOCKER_HOST: `unix://${o.socket}`, COMPOSE_IGNORE_ORPHANS: "true" };
    const run = await runRemote(o.connection, argv, { env, timeoutMs: UP_TIMEOUT_MS, signal });
    if (run.code === 0) return prune(o, set, dir, signal);
    await probeEngine(o.engine.docker, o.engine.endpoint, signal);
    const how = run.timedOut ? `did not finish within ${UP_TIMEOUT_MS / 1000}s` : `exited with status ${run.code}`;
    const output = outputTail(run, secretValues);
    throw new DriverError(
      DriverReasons.ApplyFailed,
      `${o.connection.name}: ${cli.command.join(" ")} up ${services.join(" ")} ${how}${output ? `:\n${output}` : ""}`,
      run.timedOut,
    );
  };
}

/**
 * Removes the compose files of releases older than the KEPT_RELEASES newest of the set's namespace
 * and environment. Best effort: a file left behind costs disk space, not correctness, so a failure
 * here does not fail the apply that just succeeded (the next one tries again).
 */
async function prune(o: RemoteComposeOptions, set: UnitSet, dir: string, signal?: AbortSignal): Promise<void> {
  const environmentDir = dir.slice(0, dir.lastIndexOf("/"));
  const argv = ["sh", "-c", PRUNE, "sh", environmentDir, String(KEPT_RELEASES), set.release];
  await runRemote(o.connection, argv, { timeoutMs: o.timeoutMs, signal }).catch(() => undefined);
}

/** Writes `content` to `path` on the host over SFTP, mode 0600. */
async function upload(connection: SshConnection, path: string, content: string): Promise<void> {
  const sftp = await connection.channel<SFTPWrapper>(
    "sftp",
    (client) => new Promise((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s)))),
  );
  try {
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, content, { mode: 0o600 }, (err) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    throw new DriverError(
      DriverReasons.ApplyFailed,
      `${connection.name}: sftp ${path}: ${(err as Error).message}`,
      true,
      {
        cause: err,
      },
    );
  } finally {
    sftp.end();
  }
}
