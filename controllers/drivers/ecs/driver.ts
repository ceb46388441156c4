// The ecs driver: a Driver over one ECS cluster (Target.spec.ecs) through @aws-sdk/client-ecs. ECS
// rolls out by itself (capabilities.nativeRollout): each component is one service, each slot a task
// definition family whose revisions are the artifact (render.ts); a new release in the slot the
// service runs is an ECS rolling update guarded by the deployment circuit breaker, one in the other
// slot an ECS blue/green deployment held at a PAUSE hook (blue-green.ts), which removing the old
// slot's units promotes and removing the new slot's reverts (remove.ts); promote() promotes what
// is held without removing (promote.ts).
import { DescribeClustersCommand } from "@aws-sdk/client-ecs";
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
import { applySet, type ServicePlacement } from "./apply.ts";
import { checkTask } from "./check.ts";
import { call, ecsClient, type EcsConnection } from "./client.ts";
import { observeServices, type EcsContext } from "./observe.ts";
import { promoteRelease } from "./promote.ts";
import { removeUnits } from "./remove.ts";
import { renderArtifacts } from "./render.ts";
import { platformRollouts } from "./rollouts.ts";

/** A Driver running each unit as one task of a Stella-created ECS service. */
export class EcsDriver implements Driver {
  readonly name = "ecs";
  readonly capabilities: DriverCapabilities = { nativeRollout: true, rollsInPlace: true, execProbes: "declared" };
  private readonly ctx: EcsContext;

  constructor(
    readonly conn: EcsConnection,
    readonly placement: ServicePlacement,
  ) {
    this.ctx = { ecs: ecsClient(conn), cluster: conn.cluster, defs: new Map() };
  }

  async probe(signal?: AbortSignal): Promise<PlatformInfo> {
    const out = await call("DescribeClusters", () =>
      this.ctx.ecs.send(new DescribeClustersCommand({ clusters: [this.conn.cluster] }), { abortSignal: signal }),
    );
    const cluster = out.clusters?.[0];
    if (!cluster || cluster.status !== "ACTIVE") {
      const reason = out.failures?.[0]?.reason ?? cluster?.status ?? "MISSING";
      throw new DriverError(
        DriverReasons.InvalidTarget,
        `ECS cluster ${this.conn.cluster} in ${this.conn.region}: ${reason}`,
        false,
      );
    }
    return {
      name: "Amazon ECS",
      version: `${cluster.clusterName} (${this.conn.region}, ${this.placement.launchType})`,
    };
  }

  observe(filter?: UnitFilter, signal?: AbortSignal): Promise<ObservedUnit[]> {
    return observeServices(this.ctx, filter, signal);
  }

  render(set: UnitSet): RenderedArtifact[] {
    return renderArtifacts(set, this.placement);
  }

  apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
    return applySet(this.ctx, this.placement, set, ctx);
  }

  remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void> {
    return removeUnits(this.ctx, units, signal);
  }

  /** CONTINUE at the hook of each blue/green deployment of the release still held there (promote.ts). */
  promote(filter: UnitFilter & { release: string }, signal?: AbortSignal): Promise<void> {
    return promoteRelease(this.ctx, filter, signal);
  }

  /** http and tcp probes reach the task; an exec probe is answered by ECS's verdict on the task's own health check. */
  check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
    return checkTask(this.ctx, unit, check, signal);
  }

  rollouts(filter?: UnitFilter, signal?: AbortSignal): Promise<PlatformRollout[]> {
    return platformRollouts(this.ctx, filter, signal);
  }

  async close(): Promise<void> {
    this.ctx.ecs.destroy();
  }
}

/** The ecs driver plugin: binds to Target.spec.ecs. */
export const ecsDriver: DriverPlugin = {
  name: "ecs",
  async create(target: Target, ctx: DriverContext): Promise<Driver> {
    const s = target.spec.ecs;
    if (!s) throw new DriverError(DriverReasons.InvalidTarget, "spec.ecs is required for the ecs driver", false);
    if (s.roleArn) {
      throw new DriverError(
        DriverReasons.InvalidTarget,
        "spec.ecs.roleArn (assume role) is not supported yet by the ecs driver: assume the role outside " +
          "Stella and put its temporary credentials (with AWS_SESSION_TOKEN) in spec.ecs.credentialsSecretRef",
        false,
      );
    }
    const conn: EcsConnection = { region: s.region, cluster: s.cluster, endpoint: s.endpoint };
    const ref = s.credentialsSecretRef;
    if (ref) {
      const read = (key: string) => ctx.secretValue({ name: ref.name, key }).then((v) => v.trim());
      conn.credentials = {
        accessKeyId: await read("AWS_ACCESS_KEY_ID"),
        secretAccessKey: await read("AWS_SECRET_ACCESS_KEY"),
        sessionToken: await read("AWS_SESSION_TOKEN").catch(() => undefined),
      };
    }
    return new EcsDriver(conn, {
      launchType: s.launchType ?? "FARGATE",
      executionRoleArn: s.executionRoleArn,
      taskRoleArn: s.taskRoleArn,
      network: s.network,
    });
  },
};
