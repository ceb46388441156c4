// Where a router reaches a unit: the unit's host port on the target's `unitAddress` when the
// operator set one, else on the address its driver says the unit answers on (`unit.host`: Nomad
// and ECS report where they placed it, an agent where its host answers), else on the host the
// target's settings name. Docker, compose and ssh units use the host network, so a local engine's
// units answer on 127.0.0.1, a tcp:// or ssh:// engine's or an SSH target's on that host. A unit of
// a platform or agent that did not say where it answers cannot be routed to.
import type { Target } from "../../crds/target.ts";
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";
import { CanaryUnitsError, CanaryUnitsReasons } from "./errors.ts";

function engineHost(settings: { host?: string } | undefined): string {
  const m = /^(tcp|ssh):\/\/(.+)$/.exec(settings?.host ?? "");
  return m ? new URL(`http://${m[2]}`).hostname.replace(/^\[(.*)\]$/, "$1") : "127.0.0.1";
}

/** The host a target's units are reached at, from the target's settings. */
export function targetHost(target: Target): string {
  const spec = target.spec;
  if (spec.driver === "docker") return engineHost(spec.docker);
  if (spec.driver === "compose") return engineHost(spec.compose);
  if (spec.driver === "ssh" && spec.ssh) return spec.ssh.host;
  throw new CanaryUnitsError(
    CanaryUnitsReasons.InvalidCanary,
    `target ${target.metadata.name}: a canary routes to units of docker, compose and ssh targets, and of ` +
      `agent, nomad and ecs targets that say where a unit answers; not ${spec.driver} without spec.unitAddress`,
  );
}

/** The host a unit is reached at: the target's unitAddress, else what its driver observed, else its target's. */
function unitHost(target: Target, unit: ObservedUnit): string {
  if (target.spec.unitAddress) return target.spec.unitAddress;
  if (unit.host) return unit.host;
  const driver = target.spec.driver;
  if (driver === "agent")
    throw new CanaryUnitsError(
      CanaryUnitsReasons.InvalidCanary,
      `unit ${unit.name} on target ${target.metadata.name}: agent ${target.spec.agent?.name} has not reported ` +
        "the address its host's units answer on (an older agent, or one that is not running); set the " +
        "target's spec.unitAddress, or start the agent with --address",
    );
  if (driver === "nomad" || driver === "ecs")
    throw new CanaryUnitsError(
      CanaryUnitsReasons.InvalidCanary,
      `unit ${unit.name} on target ${target.metadata.name}: ${driver} did not say which address it answers on ` +
        (driver === "ecs"
          ? "(an awsvpc task's ENI address, or a port binding to one address; host and bridge mode bind 0.0.0.0)"
          : "(the allocation's reserved-port HostIP)"),
    );
  return targetHost(target);
}

/** `host:port` of a unit's first port (the one a router sends requests to). */
export function unitAddress(target: Target, unit: ObservedUnit): string {
  const port = unit.ports[0];
  if (!port)
    throw new CanaryUnitsError(
      CanaryUnitsReasons.InvalidCanary,
      `unit ${unit.name} on target ${target.metadata.name} has no port to route to`,
    );
  const host = unitHost(target, unit);
  return host.includes(":") ? `[${host}]:${port.hostPort}` : `${host}:${port.hostPort}`;
}
