// The nomad driver: a Driver over one Nomad cluster (Target.spec.nomad), which schedules and rolls
// out by itself (capabilities.nativeRollout): see render.ts for the job, apply.ts and remove.ts
// for how Stella's slots map onto Nomad canaries, promotion and revert.
import { probeNetwork, probeTimeoutMillis } from "../../probes/index.ts";
import type { HealthCheck } from "../../../crds/health-check.ts";
import type { Target } from "../../../crds/target.ts";
import {
  DriverError,
  DriverReasons,
  type ApplyContext,
  type Driver,
  type DriverCapabilities,
  type DriverContext,
  type DriverPlugin,
  type ObservedUnit,
  type PlatformInfo,
  type PlatformRollout,
  type ProbeResult,
  type RenderedArtifact,
  type UnitFilter,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { applyJob } from "./apply.ts";
import { NomadClient, type NomadConnection } from "./client.ts";
import { execProbe } from "./exec.ts";
import { observeJobs, type AllocHosts } from "./observe.ts";
import { promoteRelease } from "./promote.ts";
import { removeUnits } from "./remove.ts";
import { renderJobArtifact, type JobPlacement } from "./render.ts";
import { platformRollouts } from "./rollouts.ts";

/** A Driver running each unit as one allocation of a Stella-registered Nomad job. */
export class NomadDriver implements Driver {
  readonly name = "nomad";
  readonly capabilities: DriverCapabilities = { nativeRollout: true };
  /** Where a unit's ports are probed when Nomad did not say (`unit.host`): the agent's address. */
  private readonly host: string;
  /** Where Nomad placed each allocation's ports, read once per allocation. */
  private readonly hosts: AllocHosts = new Map();

  constructor(
    readonly client: NomadClient,
    readonly placement: JobPlacement,
  ) {
    this.host = new URL(client.conn.address).hostname;
  }

  async probe(signal?: AbortSignal): Promise<PlatformInfo> {
    const { body } = await this.client.get<{ config?: { Version?: { Version?: string; VersionMetadata?: string } } }>(
      "/agent/self",
      { signal },
    );
    const version = body.config?.Version;
    return {
      name: "Nomad",
      version: [version?.Version, version?.VersionMetadata].filter(Boolean).join("+") || undefined,
    };
  }

  observe(filter?: UnitFilter, signal?: AbortSignal): Promise<ObservedUnit[]> {
    return observeJobs(this.client, filter, signal, this.hosts);
  }

  render(set: UnitSet): RenderedArtifact[] {
    return [renderJobArtifact(set, this.placement)];
  }

  apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
    return applyJob(this.client, this.placement, set, ctx, this.hosts);
  }

  remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void> {
    return removeUnits(this.client, units, signal);
  }

  /** Promotes each running deployment of the release whose canaries wait for it (promote.ts). */
  promote(filter: UnitFilter & { release: string }, signal?: AbortSignal): Promise<void> {
    return promoteRelease(this.client, filter, signal);
  }

  async check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
    const network = await probeNetwork(unit.host ?? this.host, unit, check, signal);
    if (network) return network;
    if (check.exec) return execProbe(this.client, unit, check.exec.command, probeTimeoutMillis(check), signal);
    return { healthy: false, message: "the health check has no http, tcp or exec probe" };
  }

  rollouts(filter?: UnitFilter, signal?: AbortSignal): Promise<PlatformRollout[]> {
    return platformRollouts(this.client, filter, signal);
  }

  async close(): Promise<void> {
    // one request per call, no pooled connections to release
  }
}

/** The nomad driver plugin: binds to Target.spec.nomad. */
export const nomadDriver: DriverPlugin = {
  name: "nomad",
  async create(target: Target, ctx: DriverContext): Promise<Driver> {
    const settings = target.spec.nomad;
    if (!settings)
      throw new DriverError(DriverReasons.InvalidTarget, "spec.nomad is required for the nomad driver", false);
    const conn: NomadConnection = {
      address: settings.address,
      namespace: settings.namespace ?? "default",
      region: settings.region,
    };
    const tokenRef = settings.tokenSecretRef;
    if (tokenRef) conn.token = (await ctx.secretValue({ name: tokenRef.name, key: tokenRef.key ?? "token" })).trim();
    if (settings.tlsSecretRef) {
      const name = settings.tlsSecretRef.name;
      const optional = (key: string) => ctx.secretValue({ name, key }).catch(() => undefined);
      conn.tls = {
        ca: await ctx.secretValue({ name, key: "ca.crt" }),
        cert: await optional("tls.crt"),
        key: await optional("tls.key"),
      };
    }
    return new NomadDriver(new NomadClient(conn), {
      datacenters: settings.datacenters ?? ["dc1"],
      nodePool: settings.nodePool,
    });
  },
};
