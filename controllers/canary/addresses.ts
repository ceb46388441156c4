// Where a router reaches a unit: the host its target's engine runs on and the unit's host port.
// Units use the host network, so a local engine's units answer on 127.0.0.1, a tcp:// or ssh://
// engine's or an SSH target's on that host. Platforms that place units themselves (Nomad, ECS) and agents do not
// say where a unit answers, so a canary cannot route to them yet.
import type { Target } from "../../crds/target.ts";
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";
import { CanaryUnitsError, CanaryUnitsReasons } from "./errors.ts";

function engineHost(settings: { host?: string } | undefined): string {
  const m = /^(tcp|ssh):\/\/(.+)$/.exec(settings?.host ?? "");
  return m ? new URL(`http://${m[2]}`).hostname.replace(/^\[(.*)\]$/, "$1") : "127.0.0.1";
}

/** The host a target's units are reached at. */
export function targetHost(target: Target): string {
  const spec = target.spec;
  if (spec.driver === "docker") return engineHost(spec.docker);
  if (spec.driver === "compose") return engineHost(spec.compose);
  if (spec.driver === "ssh" && spec.ssh) return spec.ssh.host;
  throw new CanaryUnitsError(
    CanaryUnitsReasons.InvalidCanary,
    `target ${target.metadata.name}: a canary routes to units of docker, compose and ssh targets, not ${spec.driver}`,
  );
}

/** `host:port` of a unit's first port (the one a router sends requests to). */
export function unitAddress(target: Target, unit: ObservedUnit): string {
  const port = unit.ports[0];
  if (!port)
    throw new CanaryUnitsError(
      CanaryUnitsReasons.InvalidCanary,
      `unit ${unit.name} on target ${target.metadata.name} has no port to route to`,
    );
  const host = targetHost(target);
  return host.includes(":") ? `[${host}]:${port.hostPort}` : `${host}:${port.hostPort}`;
}
