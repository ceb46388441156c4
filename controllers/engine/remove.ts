// Removing units: stop (SIGTERM, then SIGKILL after the stop timeout) and remove, where a
// container already gone or already stopping is not an error. Shared with the compose driver.
import type Docker from "dockerode";
import { setTimeout as delay } from "node:timers/promises";
import { DriverError, DriverReasons, type ObservedUnit } from "../../sdk/plugins/driver.ts";
import { engineStatus, toDriverError } from "./errors.ts";
import { STOP_TIMEOUT_SECONDS } from "./container.ts";

/** Stops and removes these units' containers, all at once; idempotent. */
export async function removeUnits(
  docker: Docker,
  units: readonly Pick<ObservedUnit, "id">[],
  signal?: AbortSignal,
): Promise<void> {
  const results = await Promise.allSettled(units.map((u) => removeContainer(docker, u.id, signal)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** Stops and removes one container by id or name; a missing container is already removed. */
export async function removeContainer(docker: Docker, id: string, signal?: AbortSignal): Promise<void> {
  const container = docker.getContainer(id);
  try {
    await container.stop({ t: STOP_TIMEOUT_SECONDS, abortSignal: signal });
  } catch (err) {
    // 304: already stopped; 404: gone; 409 and the rest: remove with force settles it
    if (engineStatus(err) === undefined) throw toDriverError(err, DriverReasons.ApplyFailed, `stop ${id.slice(0, 12)}`);
  }
  try {
    await container.remove({ force: true, v: true, abortSignal: signal });
  } catch (err) {
    const status = engineStatus(err);
    if (status === 404) return; // gone
    if (status === 409) return settleRemoval(docker, id, signal); // someone else's removal is in progress
    throw toDriverError(err, DriverReasons.ApplyFailed, `remove ${id.slice(0, 12)}`);
  }
}

/** How long a removal another caller started may take before it counts as stuck. */
const REMOVAL_WAIT_MS = 60_000;

/**
 * Resolves once a container that is being removed (state "removing") is gone, so the name is free
 * again: Docker refuses to start or create a container of that name meanwhile ("marked for
 * removal"). A container in any other state, or none, resolves at once.
 */
export async function settleRemoval(docker: Docker, idOrName: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + REMOVAL_WAIT_MS;
  for (;;) {
    let state: string | undefined;
    try {
      state = (await docker.getContainer(idOrName).inspect({ abortSignal: signal })).State?.Status;
    } catch (err) {
      if (engineStatus(err) === 404) return;
      throw toDriverError(err, DriverReasons.ApplyFailed, `inspect ${idOrName.slice(0, 64)}`);
    }
    if (state !== "removing") return;
    if (Date.now() > deadline)
      throw new DriverError(
        DriverReasons.ApplyFailed,
        `${idOrName.slice(0, 64)} is still being removed after ${REMOVAL_WAIT_MS / 1000}s`,
        true,
      );
    await delay(200, undefined, { signal });
  }
}
