// The container-spec artifact: the Engine API create body Stella sends for a unit, with every
// Secret-backed env value replaced by a reference `$(secret:NAME/KEY)`. apply sends the same body
// with the values resolved, plus the artifact digest and deployment labels (which the digest
// cannot include: its own value, and which deployment applied it, which must not change the unit).
import type { DesiredUnit, RenderedArtifact, UnitEnv, UnitSet } from "../../../sdk/plugins/driver.ts";
import { portEnv, secretReference, specLabels, STOP_TIMEOUT_SECONDS, stableJson } from "../../engine/index.ts";

/** RenderedArtifact.type of a docker container spec. */
export const CONTAINER_SPEC = "container-spec";
/** Its media type. */
export const CONTAINER_SPEC_MEDIA_TYPE = "application/json";

/** The parts of the Engine API create body Stella sets. */
export interface ContainerSpec {
  Image: string;
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
  Env: string[];
  Labels: Record<string, string>;
  StopTimeout: number;
  HostConfig: { NetworkMode: "host"; Init: true; RestartPolicy: { Name: "unless-stopped" } };
}

/** The create body of `unit`; `value` gives each env entry's value (a reference or the Secret value). */
export function containerSpec(set: UnitSet, unit: DesiredUnit, value: (env: UnitEnv) => string): ContainerSpec {
  return {
    Image: unit.imageRef,
    Entrypoint: unit.command,
    Cmd: unit.args,
    WorkingDir: unit.workingDir,
    User: unit.user,
    Env: [...portEnv(unit), ...unit.env.map((e) => `${e.name}=${value(e)}`)],
    Labels: specLabels(set, unit.component, unit.ports),
    StopTimeout: STOP_TIMEOUT_SECONDS,
    HostConfig: { NetworkMode: "host", Init: true, RestartPolicy: { Name: "unless-stopped" } },
  };
}

/** An env entry's value as artifacts show it: literal, or a reference for a Secret key. */
export const referenceValue = (env: UnitEnv): string =>
  env.secretKeyRef ? secretReference(env.secretKeyRef) : (env.value ?? "");

/** One container-spec per unit of `set`, ordered by component. */
export function renderContainerSpecs(set: UnitSet): RenderedArtifact[] {
  return [...set.units]
    .sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0))
    .map((unit) => ({
      type: CONTAINER_SPEC,
      component: unit.component,
      mediaType: CONTAINER_SPEC_MEDIA_TYPE,
      content: stableJson(containerSpec(set, unit, referenceValue)),
    }));
}
