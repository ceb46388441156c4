// One health probe of a docker unit: http and tcp against the engine's host address at the
// unit's host port, exec inside its container.
import type { HealthCheck } from "../../crds/health-check.ts";
import type { ObservedUnit, ProbeResult } from "../../sdk/plugins/driver.ts";
import { probeNetwork, probeTimeoutMillis } from "../probes/index.ts";
import type { Engine } from "./connection.ts";
import { execProbe } from "./exec.ts";

/** Runs the check's probe once; throws DriverError(Unreachable) only when exec cannot reach the engine. */
export async function checkUnit(
  engine: Engine,
  unit: ObservedUnit,
  check: HealthCheck,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const network = await probeNetwork(engine.address, unit, check, signal);
  if (network) return network;
  if (check.exec) return execProbe(engine.docker, unit.id, check.exec.command, probeTimeoutMillis(check), signal);
  return { healthy: false, message: "the health check has no http, tcp or exec probe" };
}
