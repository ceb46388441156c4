// One probe of a Target: bind its driver, ask the backend what it is, and list the units Stella
// runs there. Every failure becomes an outcome with a condition reason, never an exception, so
// the target's status always says why it is not ready.
import type { Target } from "../../crds/target.ts";
import {
  DriverReasons,
  isDriverError,
  type Driver,
  type ObservedUnit,
  type PlatformInfo,
  type PlatformRollout,
} from "../../sdk/plugins/driver.ts";

/** Why a probe failed when the driver did not say (a plugin threw something other than a DriverError). */
export const PROBE_FAILED = "ProbeFailed";

/** What one probe found. */
export type ProbeOutcome =
  | { reachable: true; platform: PlatformInfo; units: ObservedUnit[]; rollouts?: PlatformRollout[] }
  | { reachable: false; reason: string; message: string };

/** Where the probe gets the target's driver (a DriverPool). */
export interface DriverSource {
  get(target: Target): Promise<Driver>;
}

/**
 * Binds, probes and observes within `timeoutMs` (a driver that ignores its AbortSignal is left
 * behind and the probe counts as Unreachable). Units are those labelled with the target's
 * namespace and name: several targets may share one engine.
 */
export async function probeTarget(drivers: DriverSource, target: Target, timeoutMs: number): Promise<ProbeOutcome> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new TimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(drivers, target, abort.signal), deadline]);
  } catch (err) {
    if (err instanceof TimeoutError)
      return { reachable: false, reason: DriverReasons.Unreachable, message: err.message };
    if (isDriverError(err)) return { reachable: false, reason: err.reason, message: err.message };
    return { reachable: false, reason: PROBE_FAILED, message: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

async function run(drivers: DriverSource, target: Target, signal: AbortSignal): Promise<ProbeOutcome> {
  const driver = await drivers.get(target);
  const platform = await driver.probe(signal);
  const scope = { namespace: target.metadata.namespace, target: target.metadata.name };
  const units = await driver.observe(scope, signal);
  const rollouts = driver.rollouts ? await driver.rollouts(scope, signal) : undefined;
  return { reachable: true, platform, units, ...(rollouts ? { rollouts } : {}) };
}

class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(ms: number) {
    super(`the driver did not answer within ${ms} ms`);
  }
}
