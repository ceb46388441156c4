// The exec health probe: runs a command in the unit's container through the Engine API and takes
// exit status 0 as healthy. Its output is drained and dropped: it could hold Secret values, and
// ProbeResult messages end up in status.
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { DriverError, DriverReasons, type ProbeResult } from "../../sdk/plugins/driver.ts";
import { engineMessage, engineStatus, isConnectionError } from "./errors.ts";

/** Runs `command` (no shell) in the container once within `timeoutMs`; throws only DriverError(Unreachable). */
export async function execProbe(
  docker: Docker,
  container: string,
  command: readonly string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const what = `exec ${command[0]}`;
  try {
    const exec = await docker
      .getContainer(container)
      .exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true, abortSignal: signal });
    const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
    if (!(await ended(stream, timeoutMs, signal)))
      return { healthy: false, message: `${what}: no exit within ${timeoutMs}ms` };
    for (;;) {
      const info = await exec.inspect({ abortSignal: signal });
      if (!info.Running && info.ExitCode !== null) {
        return { healthy: info.ExitCode === 0, message: `${what}: exit status ${info.ExitCode}` };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } catch (err) {
    if (isConnectionError(err) && !signal?.aborted) {
      throw new DriverError(
        DriverReasons.Unreachable,
        `${what}: docker engine unreachable: ${engineMessage(err)}`,
        true,
        { cause: err },
      );
    }
    const status = engineStatus(err);
    if (status === 404) return { healthy: false, message: `${what}: container ${container.slice(0, 12)} not found` };
    if (status === 409)
      return { healthy: false, message: `${what}: container ${container.slice(0, 12)} is not running` };
    return { healthy: false, message: `${what}: ${signal?.aborted ? "aborted" : engineMessage(err)}` };
  }
}

/** Drains `stream`; true when it ends within the timeout, false (and destroyed) otherwise. */
function ended(stream: Duplex, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (!ok) stream.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onAbort = () => finish(false);
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.once("end", () => finish(true));
    stream.once("close", () => finish(true));
    stream.once("error", () => finish(true));
    stream.resume();
  });
}
