// The docker driver: a Driver over one Docker Engine, built from Target.spec.docker.
import type { HealthCheck } from "../../../crds/health-check.ts";
import type { Target } from "../../../crds/target.ts";
import {
  DriverError,
  DriverReasons,
  type ApplyContext,
  type Driver,
  type DriverContext,
  type DriverPlugin,
  type ObservedUnit,
  type PlatformInfo,
  type ProbeResult,
  type RenderedArtifact,
  type UnitFilter,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { applyUnits } from "./apply.ts";
import { checkUnit, observeUnits, probeEngine, removeUnits } from "../../engine/index.ts";
import { connectEngine, type Engine } from "../../engine/index.ts";
import { renderContainerSpecs } from "./render.ts";

/** A Driver running each unit as one container on an engine. */
export class DockerDriver implements Driver {
  readonly name = "docker";
  constructor(readonly engine: Engine) {}

  probe(signal?: AbortSignal): Promise<PlatformInfo> {
    return probeEngine(this.engine.docker, this.engine.endpoint, signal);
  }

  observe(filter?: UnitFilter, signal?: AbortSignal): Promise<ObservedUnit[]> {
    return observeUnits(this.engine.docker, filter, signal);
  }

  render(set: UnitSet): RenderedArtifact[] {
    return renderContainerSpecs(set);
  }

  apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
    return applyUnits(this.engine.docker, set, ctx);
  }

  remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void> {
    return removeUnits(this.engine.docker, units, signal);
  }

  check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
    return checkUnit(this.engine, unit, check, signal);
  }

  async close(): Promise<void> {
    // dockerode opens a connection per request and keeps none
  }
}

/** The docker driver plugin: binds to Target.spec.docker. */
export const dockerDriver: DriverPlugin = {
  name: "docker",
  async create(target: Target, ctx: DriverContext): Promise<Driver> {
    const settings = target.spec.docker;
    if (!settings)
      throw new DriverError(DriverReasons.InvalidTarget, "spec.docker is required for the docker driver", false);
    return new DockerDriver(await connectEngine(settings, ctx));
  },
};
