// Stella's labels on containers and the names it gives them: what observe reads back and what
// apply and remove find units by. Shared with the compose driver.
import {
  MANAGED_BY,
  UnitLabels,
  type Slot,
  type UnitFilter,
  type UnitPort,
  type UnitSet,
} from "../../sdk/plugins/driver.ts";

/**
 * The deterministic container name of a component in a slot on a target:
 * `stella-<ns>-<env>-<target>-<component>-<slot>`. The target is part of it because several
 * targets may share one engine.
 */
export function containerName(
  set: Pick<UnitSet, "namespace" | "environment" | "target" | "slot">,
  component: string,
): string {
  return `stella-${set.namespace}-${set.environment}-${set.target}-${component}-${set.slot}`;
}

/**
 * The labels a unit's container carries, except UnitLabels.artifact (the digest of what these go
 * into) and UnitLabels.deployment (which deployment applied it does not change the unit).
 */
export function specLabels(set: UnitSet, component: string, ports: readonly UnitPort[]): Record<string, string> {
  return {
    [UnitLabels.managedBy]: MANAGED_BY,
    [UnitLabels.namespace]: set.namespace,
    [UnitLabels.environment]: set.environment,
    [UnitLabels.release]: set.release,
    [UnitLabels.component]: component,
    [UnitLabels.slot]: set.slot,
    [UnitLabels.target]: set.target,
    [UnitLabels.ports]: formatPorts(ports),
  };
}

/** UnitLabels.ports: `name=hostPort,...` in the unit's order. */
export const formatPorts = (ports: readonly UnitPort[]): string =>
  ports.map((p) => `${p.name}=${p.hostPort}`).join(",");

/**
 * Ports back from UnitLabels.ports. Under host networking the process listens on its host port,
 * so that is also the container port observed.
 */
export function parsePorts(label: string | undefined): UnitPort[] {
  if (!label) return [];
  const ports: UnitPort[] = [];
  for (const part of label.split(",")) {
    const eq = part.lastIndexOf("=");
    const hostPort = Number(part.slice(eq + 1));
    if (eq <= 0 || !Number.isInteger(hostPort)) continue;
    ports.push({ name: part.slice(0, eq), containerPort: hostPort, hostPort });
  }
  return ports;
}

/** Docker `label` filters selecting Stella's containers that match `filter`. */
export function labelFilters(filter: UnitFilter = {}): string[] {
  const labels = [`${UnitLabels.managedBy}=${MANAGED_BY}`];
  const fields: [keyof UnitFilter, string][] = [
    ["namespace", UnitLabels.namespace],
    ["environment", UnitLabels.environment],
    ["release", UnitLabels.release],
    ["deployment", UnitLabels.deployment],
    ["target", UnitLabels.target],
    ["slot", UnitLabels.slot],
  ];
  for (const [field, label] of fields) if (filter[field] !== undefined) labels.push(`${label}=${filter[field]}`);
  return labels;
}

/** A slot label's value, or undefined when it is not a slot. */
export const asSlot = (value: string | undefined): Slot | undefined =>
  value === "blue" || value === "green" ? value : undefined;
