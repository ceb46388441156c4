// What Stella runs on an engine, rebuilt from container labels alone: a container is a unit when
// it carries managed-by=stella and the labels that place it (namespace, environment, component,
// slot). Shared with the compose driver.
import type Docker from "dockerode";
import { DriverReasons, UnitLabels, type ObservedUnit, type UnitFilter } from "../../sdk/plugins/driver.ts";
import { engineStatus, toDriverError } from "./errors.ts";
import { asSlot, labelFilters, parsePorts } from "./labels.ts";

/** The units on the engine matching `filter`, ordered by name; stopped ones say why. */
export async function observeUnits(docker: Docker, filter?: UnitFilter, signal?: AbortSignal): Promise<ObservedUnit[]> {
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({
      all: true,
      filters: { label: labelFilters(filter) },
      abortSignal: signal,
    });
  } catch (err) {
    throw toDriverError(err, DriverReasons.Unreachable, "list containers");
  }
  const units: ObservedUnit[] = [];
  for (const info of containers) {
    const unit = toObservedUnit(info);
    if (!unit) continue;
    if (!unit.running) unit.message = await stoppedReason(docker, info, signal);
    units.push(unit);
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A listed container as a unit; undefined when its labels do not place it. */
export function toObservedUnit(info: Docker.ContainerInfo): ObservedUnit | undefined {
  const labels = info.Labels ?? {};
  const slot = asSlot(labels[UnitLabels.slot]);
  const [namespace, environment, component] = [
    labels[UnitLabels.namespace],
    labels[UnitLabels.environment],
    labels[UnitLabels.component],
  ];
  if (!slot || !namespace || !environment || !component) return undefined;
  return {
    id: info.Id,
    name: (info.Names?.[0] ?? info.Id).replace(/^\//, ""),
    namespace,
    environment,
    release: labels[UnitLabels.release] ?? "",
    deployment: labels[UnitLabels.deployment] ?? "",
    target: labels[UnitLabels.target] ?? "",
    component,
    slot,
    imageRef: info.Image,
    artifact: labels[UnitLabels.artifact] || undefined,
    state: info.State,
    running: info.State === "running",
    ports: parsePorts(labels[UnitLabels.ports]),
  };
}

/** Why a container is not running, from its inspected state (exit code, OOM kill, error). */
async function stoppedReason(docker: Docker, info: Docker.ContainerInfo, signal?: AbortSignal): Promise<string> {
  try {
    const { State } = await docker.getContainer(info.Id).inspect({ abortSignal: signal });
    const parts = [State.Status === "created" ? "created, never started" : `exited with code ${State.ExitCode}`];
    if (State.OOMKilled) parts.push("killed: out of memory");
    if (State.Error) parts.push(State.Error);
    return parts.join("; ");
  } catch (err) {
    if (engineStatus(err) === 404) return "removed";
    throw toDriverError(err, DriverReasons.Unreachable, `inspect ${info.Id.slice(0, 12)}`);
  }
}
