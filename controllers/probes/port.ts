// Which host port a probe of a unit goes to. Under host networking a unit's process listens on
// its host port; a probe names one of the unit's ports, or gives a number, which may be a
// container port of the unit (mapped to its host port) or a host port as is.
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";

/** The host port for `port` on `unit`; undefined when a name matches none of its ports. */
export function unitHostPort(unit: Pick<ObservedUnit, "ports">, port: number | string): number | undefined {
  if (typeof port === "string") return unit.ports.find((p) => p.name === port)?.hostPort;
  return unit.ports.find((p) => p.containerPort === port && p.containerPort !== p.hostPort)?.hostPort ?? port;
}
