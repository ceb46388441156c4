// The compose project as the engine shows it: compose labels every container it creates with its
// project and service, so the compose driver's units are Stella's units (observed exactly as the
// docker driver observes them) that also carry the target's project. A target's units outside the
// project (left by `runtime: docker` before the target switched to compose, or by an earlier
// project name) are still its units: observe shows them, so deployments scale them down and apply
// replaces them, instead of leaving them running unseen.
import type Docker from "dockerode";
import { DriverReasons, type ObservedUnit, type UnitFilter } from "../../../sdk/plugins/driver.ts";
import { labelFilters, observeUnits, toDriverError } from "../../engine/index.ts";

/** The label compose puts on a container: the project it belongs to. */
export const PROJECT_LABEL = "com.docker.compose.project";

/** The label compose puts on a container: its service. */
export const SERVICE_LABEL = "com.docker.compose.service";

/** A unit, and whether the compose project owns it (compose can replace it by name). */
export interface ProjectUnit {
  unit: ObservedUnit;
  inProject: boolean;
}

/** Stella's units that match `filter` (give it the target), each marked in or out of `project`, ordered by name. */
export async function observeProject(
  docker: Docker,
  project: string,
  filter: UnitFilter,
  signal?: AbortSignal,
): Promise<ProjectUnit[]> {
  let inProject: Set<string>;
  try {
    const listed = await docker.listContainers({
      all: true,
      filters: { label: [...labelFilters(filter), `${PROJECT_LABEL}=${project}`] },
      abortSignal: signal,
    });
    inProject = new Set(listed.map((c) => c.Id));
  } catch (err) {
    throw toDriverError(err, DriverReasons.Unreachable, "list containers");
  }
  // observeUnits selects by Stella's labels only; it also says why a stopped unit stopped.
  return (await observeUnits(docker, filter, signal)).map((unit) => ({ unit, inProject: inProject.has(unit.id) }));
}
