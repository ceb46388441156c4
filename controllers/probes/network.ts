// The network probes of a health check (http, tcp) against a unit at its host port on the
// target's address; exec probes are the driver's own.
import type { Duplex } from "node:stream";
import type { HealthCheck } from "../../crds/health-check.ts";
import type { ObservedUnit, ProbeResult } from "../../sdk/plugins/driver.ts";
import { probeHttp } from "./http.ts";
import { unitHostPort } from "./port.ts";
import { probeTcp } from "./tcp.ts";
import { probeTimeoutMillis } from "./timeout.ts";

/** Opens a connection to a port of the unit's host some other way than a direct TCP connection (a tunnel). */
export type PortConnector = (port: number) => Promise<Duplex>;

/**
 * Runs the check's http or tcp probe once against `address`; undefined when the check has
 * neither (an exec check). A port name the unit lacks is an unhealthy result, not an error.
 * With `connect`, the probe's connection is opened through it (an SSH tunnel to the host's
 * `address`) instead of directly.
 */
export async function probeNetwork(
  address: string,
  unit: ObservedUnit,
  check: HealthCheck,
  signal?: AbortSignal,
  connect?: PortConnector,
): Promise<ProbeResult | undefined> {
  const probe = check.http ?? check.tcp;
  if (!probe) return undefined;
  const port = unitHostPort(unit, probe.port);
  if (port === undefined)
    return { healthy: false, message: `${unit.name} has no port named ${JSON.stringify(probe.port)}` };
  const timeout = probeTimeoutMillis(check);
  const through = connect && (() => connect(port));
  if (check.tcp) return probeTcp({ host: address, port, connect: through }, timeout, signal);
  const http = check.http!;
  return probeHttp(
    {
      host: address,
      port,
      path: http.path,
      scheme: http.scheme,
      hostHeader: http.host,
      headers: http.headers,
      connect: through,
    },
    timeout,
    signal,
  );
}
