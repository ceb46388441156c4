// Runs the AgentWork assigned to this agent with its local driver. Level-triggered: a Run work is
// applied when its generation is newer than the one last reported (so a restarted agent re-applies
// what it had not finished, and the local driver's idempotent apply creates nothing twice), and its
// units are observed again every resync so status follows what really runs. A Check work is probed
// once and answered. Only the units a work names stay in its slot: others there are removed.
import type { AgentWork, AgentWorkUnit } from "../crds/agent-work.ts";
import { agentWorkKind } from "../crds/agent-work.ts";
import { isNotFound } from "../crds/errors.ts";
import type { Client } from "../sdk/client.ts";
import { Informer } from "../sdk/informer.ts";
import {
  isDriverError,
  type DesiredUnit,
  type Driver,
  type ObservedUnit,
  type UnitFilter,
  type UnitSet,
} from "../sdk/plugins/driver.ts";
import { WorkQueue } from "../sdk/workqueue.ts";
import { DriverChooser, type LocalDrivers } from "./local-drivers.ts";
import type { AgentLog } from "./log.ts";
import { workApplyContext } from "./work-context.ts";

/** How the runner runs. */
export interface WorkRunnerOptions {
  client: Client;
  namespace: string;
  agent: string;
  drivers: LocalDrivers;
  log: AgentLog;
  /** How often a Run work's units are observed again, ms. */
  resyncMs: number;
  /** Where this host's units answer for routers; reported on every unit as `host`. */
  address?: string;
  /** Works handled at once. */
  concurrency?: number;
}

type WorkStatus = NonNullable<AgentWork["status"]>;

/** Watches this agent's work and runs it. */
export class WorkRunner {
  private readonly informer: Informer<AgentWork>;
  private readonly queue = new WorkQueue<string>();
  private readonly chooser: DriverChooser;
  private workers: Promise<void>[] = [];

  constructor(private readonly opts: WorkRunnerOptions) {
    this.chooser = new DriverChooser(opts.drivers);
    const works = opts.client.resource<AgentWork>(agentWorkKind);
    this.informer = new Informer(works, {
      namespace: opts.namespace,
      fieldSelector: `spec.agent=${opts.agent}`,
      onError: (err) => opts.log.warn("watching work failed; retrying", { error: String(err) }),
    });
    this.informer.addHandler({
      onAdd: (w) => this.queue.add(w.metadata.name!),
      onUpdate: (_old, w) => this.queue.add(w.metadata.name!),
    });
  }

  start(): void {
    this.informer.start();
    for (let i = 0; i < (this.opts.concurrency ?? 4); i++) this.workers.push(this.work());
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.informer.stop();
    await Promise.all(this.workers);
    await this.chooser.close();
  }

  private async work(): Promise<void> {
    for (let name = await this.queue.get(); name !== undefined; name = await this.queue.get()) {
      try {
        await this.handle(name);
      } catch (err) {
        this.opts.log.warn("work failed; retrying", { work: name, error: String(err) });
        this.queue.addRateLimited(name);
      } finally {
        this.queue.done(name);
      }
    }
  }

  private async handle(name: string): Promise<void> {
    const work = this.informer.cache.getByName(this.opts.namespace, name);
    if (!work || work.metadata.deletionTimestamp) return;
    if (work.spec.operation === "Check") return this.check(work);
    await this.run(work);
    this.queue.addAfter(name, this.opts.resyncMs);
  }

  private async check(work: AgentWork): Promise<void> {
    if (work.status?.result || !work.spec.check) return;
    const { unit, healthCheck } = work.spec.check;
    const result = await this.opts.drivers.docker
      .check(unit as unknown as ObservedUnit, healthCheck)
      .catch((err: unknown) => ({ healthy: false, message: err instanceof Error ? err.message : String(err) }));
    await this.report(work, { observedGeneration: work.metadata.generation, phase: "Applied", result });
  }

  private async run(work: AgentWork): Promise<void> {
    const scope = work.spec.scope;
    if (!scope) return;
    const generation = work.metadata.generation ?? 1;
    const status = work.status ?? {};
    const filter = {
      namespace: scope.namespace,
      environment: scope.environment,
      slot: scope.slot,
      target: work.spec.target,
    };
    const next: WorkStatus = { observedGeneration: status.observedGeneration, phase: status.phase };
    if (status.observedGeneration !== generation) {
      next.observedGeneration = generation;
      try {
        const driver = this.chooser.forWork(work);
        const ctx = workApplyContext(this.opts.client, this.opts.namespace);
        for (const set of unitSets(work)) await driver.apply(set, ctx);
        const wanted = new Set((work.spec.units ?? []).map((u) => u.component));
        await driver.remove((await driver.observe(filter)).filter((u) => !wanted.has(u.component)));
        Object.assign(next, { phase: "Applied", reason: undefined, message: undefined });
        this.opts.log.info("work applied", { work: work.metadata.name, generation, units: wanted.size });
      } catch (err) {
        if (!isDriverError(err)) throw err;
        Object.assign(next, { phase: "Failed", reason: err.reason, message: err.message });
        this.opts.log.warn("work failed", {
          work: work.metadata.name,
          generation,
          reason: err.reason,
          message: err.message,
        });
      }
    } else {
      Object.assign(next, { reason: status.reason, message: status.message });
    }
    next.units = (await this.observe(work, filter)) as unknown as WorkStatus["units"];
    if (JSON.stringify(next) === JSON.stringify({ ...pick(status, next) })) return;
    await this.report(work, { ...next, observedTime: new Date().toISOString() });
  }

  /** The slot's units as the work's driver sees them; none when this host cannot run its runtime. */
  private async observe(work: AgentWork, filter: UnitFilter): Promise<ObservedUnit[]> {
    let driver: Driver;
    try {
      driver = this.chooser.forWork(work);
    } catch (err) {
      if (isDriverError(err)) return [];
      throw err;
    }
    const units = await driver.observe(filter);
    const host = this.opts.address;
    return host ? units.map((u) => ({ ...u, host })) : units;
  }

  private async report(work: AgentWork, status: WorkStatus): Promise<void> {
    const works = this.opts.client.resource<AgentWork>(agentWorkKind);
    // Merge patch: null clears a field (reason, message) the previous report set.
    const body = { status: { reason: null, message: null, ...status } };
    try {
      await works.patch(work.metadata.name!, body, {
        namespace: this.opts.namespace,
        type: "merge",
        subresource: "status",
      });
    } catch (err) {
      if (!isNotFound(err)) throw err; // deleted meanwhile: nothing left to report to
    }
  }
}

/** The work's units as one UnitSet per release and deployment, as the local driver applies them. */
function unitSets(work: AgentWork): UnitSet[] {
  const scope = work.spec.scope!;
  const groups = new Map<string, AgentWorkUnit[]>();
  for (const u of work.spec.units ?? []) {
    const key = `${u.release}\n${u.deployment}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  return [...groups.values()].map((units) => ({
    namespace: scope.namespace,
    environment: scope.environment,
    slot: scope.slot,
    target: work.spec.target,
    release: units[0].release,
    deployment: units[0].deployment,
    units: units.map(({ release: _r, deployment: _d, ...unit }) => unit as DesiredUnit),
  }));
}

function pick(status: WorkStatus, like: WorkStatus): WorkStatus {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(like)) out[k] = (status as Record<string, unknown>)[k];
  return out as WorkStatus;
}
