// Target.spec.ssh with its defaults applied: port 22, user root, the engine at /var/run/docker.sock,
// runtime docker, compose project stella-<target>, 60s per call, 8 channels at once.
import { parseDuration } from "../../../crds/duration.ts";
import type { TargetSpec } from "../../../crds/target.ts";
import { DEFAULT_SOCKET } from "../../engine/index.ts";

/** Target.spec.ssh as written. */
export type SshSpec = NonNullable<TargetSpec["ssh"]>;

/** Target.spec.ssh with every default filled in. */
export interface SshSettings {
  host: string;
  port: number;
  user: string;
  runtime: "docker" | "compose";
  socket: string;
  project: string;
  /** How long one call may go without an answer from the host. */
  timeoutMs: number;
  /** Channels open at once on the connection. */
  concurrency: number;
}

/** How long one call to a host may take when the target does not say. */
export const DEFAULT_COMMAND_TIMEOUT = "60s";
/** Channels open at once on one connection when the target does not say. */
export const DEFAULT_CONCURRENCY = 8;

/** The settings of the target named `target`. */
export function sshSettings(target: string, spec: SshSpec): SshSettings {
  return {
    host: spec.host,
    port: spec.port ?? 22,
    user: spec.user ?? "root",
    runtime: spec.runtime ?? "docker",
    socket: spec.socket ?? DEFAULT_SOCKET,
    project: spec.project ?? `stella-${target}`,
    timeoutMs: parseDuration(spec.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT),
    concurrency: spec.maxConcurrency ?? DEFAULT_CONCURRENCY,
  };
}
