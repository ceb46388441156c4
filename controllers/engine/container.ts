// How a unit looks inside its container, for every driver that runs containers on a Docker Engine
// (a plain container, a compose service): stop timeout, port variables and Secret references.
import type { DesiredUnit } from "../../sdk/plugins/driver.ts";

/** Seconds a container gets between SIGTERM and SIGKILL. */
export const STOP_TIMEOUT_SECONDS = 10;

/** The reference that stands for a Secret value in artifacts. */
export const secretReference = (ref: { name: string; key: string }): string => `$(secret:${ref.name}/${ref.key})`;

/** PORT (the first port) and PORT_<NAME> for every port, NAME upper-cased with '-' as '_'. */
export function portEnv(unit: Pick<DesiredUnit, "ports">): string[] {
  const env = unit.ports.length > 0 ? [`PORT=${unit.ports[0].hostPort}`] : [];
  for (const p of unit.ports) env.push(`PORT_${p.name.toUpperCase().replaceAll("-", "_")}=${p.hostPort}`);
  return env;
}
