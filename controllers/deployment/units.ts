// From a resolved Release to the unit set a driver applies on one target: each component at the
// digest the release controller pinned, with its host ports for the slot and its environment
// (Secret references stay references; only the driver reads their values, at apply time).
import type { DeploymentStrategy } from "../../crds/deployment-strategy.ts";
import type { Release } from "../../crds/release.ts";
import type { DesiredUnit, Slot, UnitSet } from "../../sdk/plugins/driver.ts";
import { setPorts, type PortPlan } from "./ports.ts";

/** Where a unit set goes. */
export interface Placement {
  namespace: string;
  environment: string;
  deployment: string;
  target: string;
  slot: Slot;
}

/** An object's name ("" for the unnamed objects the API never returns). */
export const nameOf = (obj: { metadata: { name?: string } }): string => obj.metadata.name ?? "";

/** Raised when a release has no pinned digest for a component (it is not resolved yet). */
export class ReleaseNotResolvedError extends Error {
  override readonly name = "ReleaseNotResolvedError";
}

/** The units of `release` for `placement`. */
export function unitSet(
  release: Release,
  placement: Placement,
  ports: PortPlan,
  strategy?: DeploymentStrategy,
): UnitSet {
  const hostPorts = setPorts(ports.range, placement, release.spec.components, placement.slot, ports.held);
  const units = release.spec.components.map((component): DesiredUnit => {
    const pinned = release.status?.components?.find((c) => c.name === component.name);
    if (!pinned)
      throw new ReleaseNotResolvedError(
        `release ${release.metadata.name} has no digest for component ${component.name}`,
      );
    return {
      component: component.name,
      imageRef: pinned.imageRef,
      ...(component.command ? { command: component.command } : {}),
      ...(component.args ? { args: component.args } : {}),
      ...(component.workingDir ? { workingDir: component.workingDir } : {}),
      ...(component.user ? { user: component.user } : {}),
      env: (component.env ?? []).map((e) =>
        e.valueFrom
          ? { name: e.name, secretKeyRef: { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } }
          : { name: e.name, value: e.value ?? "" },
      ),
      ports: hostPorts.get(component.name) ?? [],
      ...(component.healthCheck ? { healthCheck: component.healthCheck } : {}),
    };
  });
  const native = strategy && {
    type: strategy.type,
    ...(strategy.maxParallel ? { maxParallel: strategy.maxParallel } : {}),
    ...(strategy.maxUnavailable ? { maxUnavailable: strategy.maxUnavailable } : {}),
  };
  return { ...placement, release: nameOf(release), units, ...(native ? { strategy: native } : {}) };
}
