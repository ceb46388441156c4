// The ssh driver: a Driver for a host reached over SSH (Target.spec.ssh), without an agent. Its
// engine is the host's Docker Engine through the one shared connection to the host, so the docker
// runtime is the docker driver's code and the compose runtime the compose driver's, with the compose
// file copied to the host and compose run there. Every verb first makes sure the connection is up,
// so a host that cannot be reached says why (HostKeyMismatch, Unauthorized, Unreachable) before
// anything is sent. Units are observed by this target's label: several targets share one engine here.
import type { HealthCheck } from "../../../crds/health-check.ts";
import type {
  ApplyContext,
  Driver,
  ObservedUnit,
  PlatformInfo,
  ProbeResult,
  RenderedArtifact,
  UnitFilter,
  UnitSet,
} from "../../../sdk/plugins/driver.ts";
import {
  applyComposeSet,
  COMPOSE_FILE,
  COMPOSE_FILE_MEDIA_TYPE,
  observeProject,
  renderComposeFile,
  type ComposeCli,
  type ProjectUnit,
} from "../compose/index.ts";
import { DockerDriver, renderContainerSpecs } from "../docker/index.ts";
import { execProbe, observeUnits, probeEngine, removeUnits, type Engine } from "../../engine/index.ts";
import { probeNetwork, probeTimeoutMillis } from "../../probes/index.ts";
import type { SshConnection } from "./connection.ts";
import { detectRemoteCompose, remoteUp } from "./remote-compose.ts";
import { LOOPBACK, tunnelToHostPort } from "./tunnel.ts";
import type { ConnectionLease } from "./shared-connections.ts";
import type { SshSettings } from "./settings.ts";

/** A Driver running units on one SSH host's engine, as containers or as a compose project. */
export class SshDriver implements Driver {
  readonly name = "ssh";
  private readonly docker: DockerDriver;
  private detected?: Promise<ComposeCli>;

  /** `target` is the bound Target's name: observe sees only units labelled with it. */
  constructor(
    readonly target: string,
    readonly settings: SshSettings,
    private readonly lease: ConnectionLease,
    readonly engine: Engine,
  ) {
    this.docker = new DockerDriver(engine);
  }

  /** The shared connection to the host. */
  get connection(): SshConnection {
    return this.lease.connection;
  }

  async probe(signal?: AbortSignal): Promise<PlatformInfo> {
    await this.connection.connect();
    const info = await probeEngine(this.engine.docker, this.engine.endpoint, signal);
    const over = `${info.name} over SSH (${this.connection.name})`;
    if (this.settings.runtime !== "compose") return { ...info, name: over };
    const cli = await this.cli(signal);
    return { ...info, name: `${over} with ${cli.command.join(" ")} ${cli.version}` };
  }

  async observe(filter: UnitFilter = {}, signal?: AbortSignal): Promise<ObservedUnit[]> {
    if (this.settings.runtime === "compose") return (await this.observeOwned(filter, signal)).map((u) => u.unit);
    await this.connection.connect();
    return observeUnits(this.engine.docker, { ...filter, target: filter.target ?? this.target }, signal);
  }

  /** runtime compose: the target's units, each marked whether the project owns it. */
  private async observeOwned(filter: UnitFilter, signal?: AbortSignal): Promise<ProjectUnit[]> {
    await this.connection.connect();
    const own = { ...filter, target: filter.target ?? this.target };
    return observeProject(this.engine.docker, this.settings.project, own, signal);
  }

  render(set: UnitSet): RenderedArtifact[] {
    if (this.settings.runtime !== "compose") return renderContainerSpecs(set);
    const content = renderComposeFile(set, this.settings.project).content;
    return [{ type: COMPOSE_FILE, mediaType: COMPOSE_FILE_MEDIA_TYPE, content }];
  }

  async apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
    await this.connection.connect();
    if (this.settings.runtime !== "compose") return this.docker.apply(set, ctx);
    const project = {
      engine: this.engine,
      project: this.settings.project,
      cli: (signal?: AbortSignal) => this.cli(signal),
      observe: (filter: UnitFilter, signal?: AbortSignal) => this.observeOwned(filter, signal),
    };
    const options = {
      ...project,
      connection: this.connection,
      socket: this.settings.socket,
      timeoutMs: this.settings.timeoutMs,
    };
    return applyComposeSet({ ...project, up: remoteUp(options, set) }, set, ctx);
  }

  async remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void> {
    await this.connection.connect();
    return removeUnits(this.engine.docker, units, signal);
  }

  /** http and tcp probes go through the connection to the host's own 127.0.0.1; exec through its engine. */
  async check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
    await this.connection.connect();
    const tunnel = (port: number) => tunnelToHostPort(this.connection, port);
    const network = await probeNetwork(LOOPBACK, unit, check, signal, tunnel);
    if (network) return network;
    if (check.exec)
      return execProbe(this.engine.docker, unit.id, check.exec.command, probeTimeoutMillis(check), signal);
    return { healthy: false, message: "the health check has no http, tcp or exec probe" };
  }

  close(): Promise<void> {
    return this.lease.release();
  }

  /** The compose CLI on the host, found once per binding. */
  private cli(signal?: AbortSignal): Promise<ComposeCli> {
    if (!this.detected) {
      const detected = detectRemoteCompose(this.connection, undefined, this.settings.timeoutMs, signal);
      this.detected = detected;
      detected.catch(() => {
        if (this.detected === detected) this.detected = undefined;
      });
    }
    return this.detected;
  }
}
