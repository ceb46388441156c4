// The agent driver: a Driver for targets served by an enrolled Stella agent. The server cannot reach
// such a host, so every verb goes through AgentWork objects the agent watches: apply writes the
// slot's units and waits for the agent's report, observe reads the units the agents reported,
// remove takes units out of the work, check asks for one probe. The agent runs the docker driver
// locally, so render is the docker driver's, or with spec.agent.runtime compose the compose driver's
// (the artifact digests then match what runs).
import { agentKind } from "../../../crds/agent.ts";
import type { AgentWork, AgentWorkUnit } from "../../../crds/agent-work.ts";
import { agentWorkKind } from "../../../crds/agent-work.ts";
import type { HealthCheck } from "../../../crds/health-check.ts";
import type { Target } from "../../../crds/target.ts";
import type { Client } from "../../../sdk/client.ts";
import {
  DriverError,
  DriverReasons,
  type ApplyContext,
  type Driver,
  type DriverPlugin,
  type DriverReason,
  type ObservedUnit,
  type PlatformInfo,
  type ProbeResult,
  type RenderedArtifact,
  type UnitFilter,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { COMPOSE_FILE, COMPOSE_FILE_MEDIA_TYPE, renderComposeFile } from "../compose/index.ts";
import { renderContainerSpecs } from "../docker/index.ts";
import {
  agentUnavailable,
  answeredCurrent,
  awaitAnswer,
  checkWorkName,
  getWork,
  runWorkName,
  type WorkPlace,
} from "./work.ts";
import { writeRunWork, unitsWithout } from "./run-work.ts";

/** A Driver that hands its work to one agent. */
export class AgentDriver implements Driver {
  readonly name = "agent";
  constructor(private readonly place: WorkPlace) {}

  async probe(): Promise<PlatformInfo> {
    const unavailable = await agentUnavailable(this.place);
    if (unavailable) throw unavailable;
    const agent = await this.place.client
      .resource(agentKind)
      .get(this.place.agent, { namespace: this.place.namespace });
    const status = (agent.status ?? {}) as { version?: string; os?: string; arch?: string; hostname?: string };
    return {
      name: `Stella agent ${this.place.agent} on ${status.hostname ?? "?"}`,
      version: status.version,
      os: status.os,
      arch: status.arch,
    };
  }

  async observe(filter: UnitFilter = {}): Promise<ObservedUnit[]> {
    const works = await this.place.client.resource<AgentWork>(agentWorkKind).list({
      namespace: this.place.namespace,
      fieldSelector: `spec.target=${this.place.target}`,
    });
    const units = works.items
      .filter((w) => w.spec.operation === "Run")
      .flatMap((w) => (w.status?.units ?? []) as unknown as ObservedUnit[]);
    return units.filter((u) =>
      (Object.keys(filter) as (keyof UnitFilter)[]).every((k) => filter[k] === undefined || u[k] === filter[k]),
    );
  }

  render(set: UnitSet): RenderedArtifact[] {
    if (this.place.runtime !== "compose") return renderContainerSpecs(set);
    const content = renderComposeFile(set, this.place.project!).content;
    return [{ type: COMPOSE_FILE, mediaType: COMPOSE_FILE_MEDIA_TYPE, content }];
  }

  async apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
    const unavailable = await agentUnavailable(this.place);
    if (unavailable) throw unavailable;
    // Every Secret must exist before anything is handed over: a missing one starts nothing.
    for (const unit of set.units)
      for (const env of unit.env) if (env.secretKeyRef) await ctx.secretValue(env.secretKeyRef);
    const name = runWorkName(this.place.target, set);
    const { written, previous } = await writeRunWork(this.place, name, set);
    const answered = await awaitAnswer(
      this.place,
      name,
      (w) => answeredCurrent(w) && (w.metadata.generation ?? 1) >= written,
      ctx.signal,
    );
    if (answered.status?.phase === "Failed") {
      // Put the slot back as it was, so a failed apply leaves nothing half-applied behind.
      await writeRunWork(this.place, name, set, previous ?? []);
      const reason = (answered.status.reason ?? DriverReasons.ApplyFailed) as DriverReason;
      throw new DriverError(
        reason,
        `agent ${this.place.agent}: ${answered.status.message ?? "apply failed"}`,
        reason === DriverReasons.Unreachable,
      );
    }
    const components = new Set(set.units.map((u) => u.component));
    return ((answered.status?.units ?? []) as unknown as ObservedUnit[]).filter((u) => components.has(u.component));
  }

  async remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void> {
    const bySlot = new Map<string, ObservedUnit[]>();
    for (const u of units) {
      const name = runWorkName(this.place.target, u);
      bySlot.set(name, [...(bySlot.get(name) ?? []), u]);
    }
    for (const [name, gone] of bySlot) {
      const work = await getWork(this.place, name);
      if (!work) continue;
      const kept: AgentWorkUnit[] = unitsWithout(work.spec.units ?? [], gone);
      const { written } = await writeRunWork(this.place, name, undefined, kept);
      await awaitAnswer(this.place, name, (w) => answeredCurrent(w) && (w.metadata.generation ?? 1) >= written, signal);
      if (kept.length === 0)
        await this.place.client
          .resource<AgentWork>(agentWorkKind)
          .delete(name, { namespace: this.place.namespace })
          .catch(() => undefined);
    }
  }

  async check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult> {
    const works = this.place.client.resource<AgentWork>(agentWorkKind);
    const name = checkWorkName(this.place.target);
    await works.create(
      {
        apiVersion: "release.stella.io/v1alpha1",
        kind: "AgentWork",
        metadata: { name, namespace: this.place.namespace, labels: { "stella.io/target": this.place.target } },
        spec: {
          agent: this.place.agent,
          target: this.place.target,
          operation: "Check",
          check: { unit: { ...unit }, healthCheck: check },
        },
      } as AgentWork,
      { fieldManager: "stella-agent-driver" },
    );
    try {
      const answered = await awaitAnswer(this.place, name, (w) => w.status?.result !== undefined, signal);
      return answered.status!.result!;
    } finally {
      await works.delete(name, { namespace: this.place.namespace }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    // nothing held: every call is a request through the shared client
  }
}

/** The agent driver plugin for a client with the controller role. */
export function agentDriver(client: Client): DriverPlugin {
  return {
    name: "agent",
    async create(target: Target): Promise<Driver> {
      const agent = target.spec.agent?.name;
      if (!agent)
        throw new DriverError(DriverReasons.InvalidTarget, "spec.agent.name is required for the agent driver", false);
      const { runtime = "docker", project = `stella-${target.metadata.name}` } = target.spec.agent ?? {};
      return new AgentDriver({
        client,
        namespace: target.metadata.namespace ?? "default",
        target: target.metadata.name!,
        agent,
        runtime,
        ...(runtime === "compose" ? { project } : {}),
      });
    },
  };
}
