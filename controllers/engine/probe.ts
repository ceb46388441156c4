// Reaching an engine: /version within a short timeout, as PlatformInfo.
import type Docker from "dockerode";
import { DriverError, DriverReasons, type PlatformInfo } from "../../sdk/plugins/driver.ts";
import { engineMessage, isConnectionError } from "./errors.ts";

// dockerode's version() and info() take an abortSignal; its type declarations do not say so.
type Get<T> = (opts: { abortSignal: AbortSignal }) => Promise<T>;

/** How long a probe waits for the engine. */
export const PROBE_TIMEOUT_MS = 5000;

/** Asks the engine its version; throws DriverError(Unreachable, transient) when it does not answer. */
export async function probeEngine(docker: Docker, endpoint: string, signal?: AbortSignal): Promise<PlatformInfo> {
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const version = await (docker.version as unknown as Get<Docker.DockerVersion>).call(docker, { abortSignal });
    const info =
      version.Os && version.Arch
        ? undefined
        : await (docker.info as unknown as Get<unknown>).call(docker, { abortSignal });
    return {
      name: "Docker Engine",
      version: version.Version,
      os: version.Os ?? (info as { OSType?: string } | undefined)?.OSType,
      arch: version.Arch ?? (info as { Architecture?: string } | undefined)?.Architecture,
    };
  } catch (err) {
    // An engine that answers /version with an error is as unusable as one that does not answer.
    const why = timeout.aborted
      ? `no answer within ${PROBE_TIMEOUT_MS}ms`
      : isConnectionError(err)
        ? `cannot connect: ${engineMessage(err)}`
        : engineMessage(err);
    throw new DriverError(DriverReasons.Unreachable, `docker engine at ${endpoint}: ${why}`, true, { cause: err });
  }
}
