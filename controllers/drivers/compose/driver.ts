// The compose driver: a Driver over one compose project on a Docker Engine, built from
// Target.spec.compose. apply goes through the compose CLI and a generated compose file; observe,
// remove, check and probe go through the Engine API like the docker driver, narrowed to the
// project by compose's project label.
import type { HealthCheck } from "../../../crds/health-check.ts";
import type { Target, TargetSpec } from "../../../crds/target.ts";
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
import { checkUnit, connectEngine, probeEngine, removeUnits, type Engine } from "../../engine/index.ts";
import { applyComposeSet } from "./apply.ts";
import { composeEnv, detectComposeCli, type ComposeCli } from "./command.ts";
import { observeProject, type ProjectUnit } from "./project.ts";
import { renderComposeFile } from "./render.ts";

/** RenderedArtifact.type of a compose file. */
export const COMPOSE_FILE = "compose-file";
/** Its media type. */
export const COMPOSE_FILE_MEDIA_TYPE = "application/yaml";

/** Target.spec.compose. */
export type ComposeSettings = NonNullable<TargetSpec["compose"]>;

/** A Driver running each unit set as services of one compose project. */
export class ComposeDriver implements Driver {
  readonly name = "compose";
  private detected?: Promise<ComposeCli>;

  /** `target` is the bound Target's name: observe sees only units labelled with it. */
  constructor(
    readonly target: string,
    readonly settings: ComposeSettings,
    readonly engine: Engine,
  ) {}

  async probe(signal?: AbortSignal): Promise<PlatformInfo> {
    const info = await probeEngine(this.engine.docker, this.engine.endpoint, signal);
    const cli = await this.cli(signal);
    return { ...info, name: `${info.name} with ${cli.command.join(" ")} ${cli.version}` };
  }

  async observe(filter: UnitFilter = {}, signal?: AbortSignal): Promise<ObservedUnit[]> {
    return (await this.observeOwned(filter, signal)).map((u) => u.unit);
  }

  render(set: UnitSet): RenderedArtifact[] {
    return [
      {
        type: COMPOSE_FILE,
        mediaType: COMPOSE_FILE_MEDIA_TYPE,
        content: renderComposeFile(set, this.settings.project).content,
      },
    ];
  }

  apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
    return applyComposeSet(
      {
        engine: this.engine,
        project: this.settings.project,
        cli: (signal) => this.cli(signal),
        observe: (filter, signal) => this.observeOwned(filter, signal),
      },
      set,
      ctx,
    );
  }

  remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void> {
    return removeUnits(this.engine.docker, units, signal);
  }

  check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
    return checkUnit(this.engine, unit, check, signal);
  }

  async close(): Promise<void> {
    // dockerode keeps no connection; compose processes end with their call
  }

  /** The target's units, each marked whether the project owns it. */
  private observeOwned(filter: UnitFilter, signal?: AbortSignal): Promise<ProjectUnit[]> {
    const own = { ...filter, target: filter.target ?? this.target };
    return observeProject(this.engine.docker, this.settings.project, own, signal);
  }

  /** The compose CLI, found once per binding (a property of this host, not of what runs). */
  private cli(signal?: AbortSignal): Promise<ComposeCli> {
    if (!this.detected) {
      const detected = detectComposeCli(this.settings.command, composeEnv(process.env, this.engine.endpoint), signal);
      this.detected = detected;
      detected.catch(() => {
        if (this.detected === detected) this.detected = undefined; // try again next time
      });
    }
    return this.detected;
  }
}

/** The compose driver plugin: binds to Target.spec.compose. */
export const composeDriver: DriverPlugin = {
  name: "compose",
  async create(target: Target, ctx: DriverContext): Promise<Driver> {
    const settings = target.spec.compose;
    if (!settings)
      throw new DriverError(DriverReasons.InvalidTarget, "spec.compose is required for the compose driver", false);
    if (!target.metadata.name) throw new DriverError(DriverReasons.InvalidTarget, "the target has no name", false);
    const engine = await connectEngine({ socket: settings.socket, host: settings.host }, ctx);
    return new ComposeDriver(target.metadata.name, settings, engine);
  },
};
