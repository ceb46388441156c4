// The Nomad contract fake's scheduler and deployment watcher, after Nomad's documented behaviour:
//  - a group whose spec is unchanged by a new job version keeps its allocations in place;
//  - an update with `canary` > 0 places that many canaries beside the old allocations and waits for
//    a promotion (or `auto_promote` once they are healthy); then the rest rolls `max_parallel` at a
//    time, each new allocation replacing an old one once the previous batch is healthy;
//  - allocation health: checks passing (or the task running, without checks) for `min_healthy_time`;
//    unhealthy when the task dies or `healthy_deadline` passes first;
//  - one unhealthy allocation fails the deployment; with `auto_revert` the job goes back to its
//    latest stable version (a new version with that spec); a successful deployment marks its job
//    version stable.
// Update block: https://developer.hashicorp.com/nomad/docs/job-specification/update
// Deployments:  https://developer.hashicorp.com/nomad/api-docs/deployments
import { pull, runCheck, startTask, stopTask, taskState } from "./dataplane.ts";
import { groupHash, type Store } from "./store.ts";
import type { Allocation, Deployment, Job, TaskGroup, UpdateStrategy } from "./types.ts";

const SECOND_NS = 1e9;
const DEFAULTS = {
  MaxParallel: 1,
  MinHealthyTime: 10 * SECOND_NS,
  HealthyDeadline: 5 * 60 * SECOND_NS,
  ProgressDeadline: 10 * 60 * SECOND_NS,
};
/** Terminal allocations are kept this long for reads, then forgotten (Nomad's GC, shortened). */
const ALLOC_GC_MS = 5 * 60_000;

const live = (a: Allocation) => a.DesiredStatus === "run";
const updateOf = (job: Job, group: TaskGroup): UpdateStrategy => ({ ...DEFAULTS, ...job.Update, ...group.Update });

export class Scheduler {
  private readonly busy = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    /** The value of INSTANCE_LABEL on this fake's containers. */
    readonly instance: string,
  ) {}

  start(periodMs = 250): void {
    this.timer = setInterval(() => void this.tick(), periodMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Starts a deployment for a newly registered version, cancelling the one it replaces. */
  onRegister(job: Job): void {
    const namespace = job.Namespace!;
    const previous = this.store.latestDeployment(namespace, job.ID);
    if (previous?.Status === "running")
      this.endDeployment(previous, "cancelled", "Cancelled due to newer version of job");
    const allocs = this.store.jobAllocs(namespace, job.ID).filter(live);
    const index = this.store.bump();
    const groups: Deployment["TaskGroups"] = {};
    for (const g of job.TaskGroups) {
      const update = updateOf(job, g);
      const hash = groupHash(g);
      const mine = allocs.filter((a) => a.TaskGroup === g.Name);
      const destructive = mine.some((a) => a.GroupHash !== hash);
      groups[g.Name] = {
        AutoRevert: !!update.AutoRevert,
        AutoPromote: !!update.AutoPromote,
        Promoted: false,
        DesiredCanaries: destructive ? Math.min(update.Canary ?? 0, g.Count) : 0,
        DesiredTotal: g.Count,
        PlacedCanaries: [],
        PlacedAllocs: 0,
        HealthyAllocs: 0,
        UnhealthyAllocs: 0,
        RequireProgressBy: new Date(Date.now() + update.ProgressDeadline! / 1e6).toISOString(),
      };
    }
    const d: Deployment = {
      ID: this.store.newId(),
      Namespace: namespace,
      JobID: job.ID,
      JobVersion: job.Version!,
      JobModifyIndex: job.JobModifyIndex!,
      Status: "running",
      StatusDescription: "Deployment is running",
      TaskGroups: groups,
      CreateIndex: index,
      ModifyIndex: index,
    };
    this.store.deployments.set(d.ID, d);
    for (const a of allocs) {
      const g = job.TaskGroups.find((x) => x.Name === a.TaskGroup);
      if (g && a.GroupHash === groupHash(g)) this.inPlace(a, job, d);
    }
  }

  /** Stops every allocation of a job (deregister). */
  stopJob(namespace: string, id: string, why: string): void {
    for (const a of this.store.jobAllocs(namespace, id).filter(live)) this.stopAlloc(a, why);
    const d = this.store.latestDeployment(namespace, id);
    if (d?.Status === "running") this.endDeployment(d, "cancelled", "Cancelled because job is stopped");
  }

  /** Promotes the canaries of a running deployment; throws when one is not healthy yet. */
  promote(d: Deployment): void {
    if (d.Status !== "running") throw new Error(`can't promote terminal deployment (status ${d.Status})`);
    const groups = Object.entries(d.TaskGroups).filter(([, g]) => g.DesiredCanaries > 0 && !g.Promoted);
    if (groups.length === 0) throw new Error("no canaries to promote");
    for (const [name, g] of groups) {
      const healthy = g.PlacedCanaries.filter(
        (id) => this.store.allocs.get(id)?.DeploymentStatus?.Healthy === true,
      ).length;
      if (healthy < g.DesiredCanaries)
        throw new Error(`Task group "${name}" has ${healthy}/${g.DesiredCanaries} healthy allocations`);
    }
    for (const [, g] of groups) g.Promoted = true;
    d.ModifyIndex = this.store.bump();
  }

  /** Fails a running deployment; with auto_revert the job goes back to its latest stable version. */
  fail(d: Deployment, why: string): void {
    if (d.Status !== "running") throw new Error(`can't fail terminal deployment (status ${d.Status})`);
    const revert = Object.values(d.TaskGroups).some((g) => g.AutoRevert);
    const stable = revert
      ? this.store
          .versions(d.Namespace, d.JobID)
          .filter((j) => j.Stable && j.Version !== d.JobVersion)
          .at(-1)
      : undefined;
    this.endDeployment(d, "failed", stable ? `${why} - rolling back to job version ${stable.Version}` : why);
    if (stable) this.revert(d.Namespace, d.JobID, stable.Version!);
  }

  /** Registers version `version`'s spec again as the newest version. */
  revert(namespace: string, id: string, version: number): Job {
    const old = this.store.versions(namespace, id).find((j) => j.Version === version);
    if (!old) throw new Error(`job ${id} has no version ${version}`);
    const { job, changed } = this.store.register(namespace, { ...old, Stop: false });
    if (changed) this.onRegister(job);
    return job;
  }

  private async tick(): Promise<void> {
    for (const versions of this.store.jobs.values()) {
      const job = versions.at(-1)!;
      if (job.Stop) continue;
      const d = this.store.latestDeployment(job.Namespace!, job.ID);
      const current = d && d.JobVersion === job.Version && d.Status === "running" ? d : undefined;
      for (const g of job.TaskGroups) this.reconcileGroup(job, g, current);
      if (current) this.watchDeployment(job, current);
    }
    for (const a of [...this.store.allocs.values()]) void this.runAlloc(a);
  }

  private reconcileGroup(job: Job, g: TaskGroup, d: Deployment | undefined): void {
    const hash = groupHash(g);
    const allocs = this.store.jobAllocs(job.Namespace!, job.ID).filter((a) => live(a) && a.TaskGroup === g.Name);
    const fresh = allocs.filter((a) => a.GroupHash === hash);
    const old = allocs.filter((a) => a.GroupHash !== hash);
    const state = d?.TaskGroups[g.Name];
    if (state && state.DesiredCanaries > 0 && !state.Promoted) {
      for (let i = state.PlacedCanaries.length; i < state.DesiredCanaries; i++)
        state.PlacedCanaries.push(this.place(job, g, d!, true).ID);
      return;
    }
    for (const extra of fresh.slice(g.Count)) this.stopAlloc(extra, "alloc not needed due to job update");
    if (!d) {
      // No deployment running: keep the count, and reschedule failed allocations (Nomad's reschedule block).
      for (const failed of fresh.filter((a) => a.ClientStatus === "failed")) {
        this.stopAlloc(failed, "alloc was rescheduled because it failed");
        this.placeOutside(job, g);
      }
      for (let i = fresh.length + old.length; i < g.Count; i++) this.placeOutside(job, g);
      return;
    }
    const update = updateOf(job, g);
    const parallel = update.MaxParallel === 0 ? g.Count : update.MaxParallel!;
    const inFlight = fresh.filter((a) => a.DeploymentStatus?.Healthy !== true).length;
    const missing = g.Count - fresh.length;
    let room = Math.max(0, parallel - inFlight);
    let next = 0;
    for (let placed = 0; room > 0 && placed < missing; placed++, room--) {
      if (next < old.length) this.stopAlloc(old[next++], "alloc is being updated due to job update");
      this.place(job, g, d, false);
    }
    if (missing <= 0 && inFlight === 0) for (const o of old) this.stopAlloc(o, "alloc not needed due to job update");
  }

  private watchDeployment(job: Job, d: Deployment): void {
    let unhealthy = false;
    let done = true;
    let waitingPromotion = false;
    for (const g of job.TaskGroups) {
      const state = d.TaskGroups[g.Name];
      const mine = this.store.jobAllocs(job.Namespace!, job.ID).filter((a) => a.DeploymentID === d.ID);
      const healthy = mine.filter((a) => live(a) && a.DeploymentStatus?.Healthy === true).length;
      const bad = mine.filter((a) => a.DeploymentStatus?.Healthy === false).length;
      if (healthy > state.HealthyAllocs)
        state.RequireProgressBy = new Date(Date.now() + updateOf(job, g).ProgressDeadline! / 1e6).toISOString();
      if (state.PlacedAllocs !== mine.length || state.HealthyAllocs !== healthy || state.UnhealthyAllocs !== bad) {
        Object.assign(state, { PlacedAllocs: mine.length, HealthyAllocs: healthy, UnhealthyAllocs: bad });
        d.ModifyIndex = this.store.bump();
      }
      if (bad > 0) unhealthy = true;
      const canariesHealthy =
        state.PlacedCanaries.length > 0 &&
        state.PlacedCanaries.every((id) => this.store.allocs.get(id)?.DeploymentStatus?.Healthy === true);
      if (state.DesiredCanaries > 0 && !state.Promoted) {
        done = false;
        if (canariesHealthy && state.AutoPromote) state.Promoted = true;
        else if (canariesHealthy) waitingPromotion = true;
      }
      const stale = this.store
        .jobAllocs(job.Namespace!, job.ID)
        .some((a) => live(a) && a.TaskGroup === g.Name && a.GroupHash !== groupHash(g));
      if (healthy < state.DesiredTotal || stale) done = false;
      if (state.RequireProgressBy && Date.parse(state.RequireProgressBy) < Date.now() && !done)
        return this.fail(d, "Failed due to progress deadline");
    }
    if (unhealthy) return this.fail(d, "Failed due to unhealthy allocations");
    if (done) {
      this.endDeployment(d, "successful", "Deployment completed successfully");
      job.Stable = true;
      return;
    }
    const description = waitingPromotion
      ? "Deployment is running but requires manual promotion"
      : "Deployment is running";
    if (d.StatusDescription !== description) {
      d.StatusDescription = description;
      d.ModifyIndex = this.store.bump();
    }
  }

  private endDeployment(d: Deployment, status: Deployment["Status"], description: string): void {
    if (status !== "successful") {
      // Nomad's reconciler stops the canaries of a deployment that ended without promoting them.
      for (const g of Object.values(d.TaskGroups)) {
        if (g.Promoted) continue;
        for (const id of g.PlacedCanaries) {
          const a = this.store.allocs.get(id);
          if (a && live(a)) this.stopAlloc(a, "canary not needed: its deployment ended unpromoted");
        }
      }
    }
    d.Status = status;
    d.StatusDescription = description;
    d.ModifyIndex = this.store.bump();
  }

  private inPlace(a: Allocation, job: Job, d: Deployment): void {
    a.JobVersion = job.Version!;
    a.DeploymentID = d.ID;
    a.DeploymentStatus = {
      Healthy: a.ClientStatus === "running" ? a.DeploymentStatus?.Healthy : undefined,
      Canary: false,
    };
    a.ModifyIndex = this.store.bump();
  }

  private place(job: Job, g: TaskGroup, d: Deployment, canary: boolean): Allocation {
    const a = this.placeOutside(job, g);
    a.DeploymentID = d.ID;
    a.DeploymentStatus = { Canary: canary };
    return a;
  }

  private placeOutside(job: Job, g: TaskGroup): Allocation {
    const index = this.store.bump();
    const taken = new Set(
      this.store
        .jobAllocs(job.Namespace!, job.ID)
        .filter(live)
        .map((a) => a.Name),
    );
    let n = 0;
    while (taken.has(`${job.ID}.${g.Name}[${n}]`)) n++;
    const a: Allocation = {
      ID: this.store.newId(),
      Name: `${job.ID}.${g.Name}[${n}]`,
      Namespace: job.Namespace!,
      JobID: job.ID,
      JobVersion: job.Version!,
      TaskGroup: g.Name,
      GroupHash: groupHash(g),
      DesiredStatus: "run",
      ClientStatus: "pending",
      NodeID: "fake-node-1",
      AllocatedResources: allocatedResources(g),
      TaskStates: Object.fromEntries(
        g.Tasks.map((t) => [
          t.Name,
          { State: "pending" as const, Failed: false, Events: [event("Received", "Task received by client")] },
        ]),
      ),
      CreateIndex: index,
      ModifyIndex: index,
      CreateTime: Date.now() * 1e6,
    };
    this.store.allocs.set(a.ID, a);
    return a;
  }

  private stopAlloc(a: Allocation, why: string): void {
    a.DesiredStatus = "stop";
    a.DesiredDescription = why;
    a.ModifyIndex = this.store.bump();
  }

  /** Drives one allocation's container: start, watch, health, stop. One step at a time per alloc. */
  private async runAlloc(a: Allocation): Promise<void> {
    if (this.busy.has(a.ID)) return;
    this.busy.add(a.ID);
    try {
      await this.stepAlloc(a);
    } catch (err) {
      console.error(`nomad-fake: alloc ${a.ID}: ${(err as Error).message}`);
    } finally {
      this.busy.delete(a.ID);
    }
  }

  private async stepAlloc(a: Allocation): Promise<void> {
    const job = this.store.versions(a.Namespace, a.JobID).find((j) => j.Version === a.JobVersion);
    const group = job?.TaskGroups.find((g) => g.Name === a.TaskGroup);
    const task = group?.Tasks[0];
    const taskName = Object.keys(a.TaskStates)[0];
    if (a.DesiredStatus === "stop" || !group || !task) {
      if (a.container) await stopTask(a.container);
      a.container = undefined;
      if (a.ClientStatus === "pending" || a.ClientStatus === "running") {
        a.ClientStatus = "complete";
        a.TaskStates[taskName] = {
          ...a.TaskStates[taskName],
          State: "dead",
          Events: [...a.TaskStates[taskName].Events, event("Killed", "Task successfully killed")],
        };
        a.ModifyIndex = this.store.bump();
      }
      const purged = !this.store.versions(a.Namespace, a.JobID).length;
      if (purged || Date.now() - a.CreateTime / 1e6 > ALLOC_GC_MS) this.store.allocs.delete(a.ID);
      return;
    }
    if (a.ClientStatus === "pending") {
      try {
        await pull(task.Config.image);
        a.TaskStates[taskName].Events.push(event("Driver", `Downloading image`));
        a.container = await startTask(a, task, this.instance);
      } catch (err) {
        this.died(a, taskName, "Driver Failure", `Failed to pull \`${task.Config.image}\`: ${(err as Error).message}`);
        return;
      }
      a.ClientStatus = "running";
      a.startedAt = Date.now();
      a.TaskStates[taskName] = {
        ...a.TaskStates[taskName],
        State: "running",
        Events: [...a.TaskStates[taskName].Events, event("Started", "Task started by client")],
      };
      a.ModifyIndex = this.store.bump();
      return;
    }
    if (a.ClientStatus !== "running" || !a.container) return;
    const state = await taskState(a.container);
    if (!state.running) {
      this.died(
        a,
        taskName,
        "Terminated",
        `Exit Code: ${state.exitCode ?? -1}${state.error ? `, Exit Message: "${state.error}"` : ""}`,
      );
      return;
    }
    if (a.DeploymentStatus && a.DeploymentStatus.Healthy === undefined) await this.judge(a, job!, group);
  }

  private async judge(a: Allocation, job: Job, group: TaskGroup): Promise<void> {
    const update = updateOf(job, group);
    const ports = new Map(
      (group.Networks ?? []).flatMap((n) => n.ReservedPorts ?? []).map((p) => [p.Label, p.Value] as const),
    );
    const checks = group.Tasks.flatMap((t) => t.Services ?? []).flatMap((s) =>
      (s.Checks ?? []).map((c) => ({ ...c, PortLabel: c.PortLabel ?? s.PortLabel })),
    );
    const useChecks = update.HealthCheck !== "task_states" && checks.length > 0;
    const passing = useChecks ? (await Promise.all(checks.map((c) => runCheck(c, ports)))).every(Boolean) : true;
    const now = Date.now();
    if (passing) a.passingSince ??= now;
    else a.passingSince = undefined;
    if (a.passingSince !== undefined && now - a.passingSince >= update.MinHealthyTime! / 1e6)
      return this.setHealth(a, true);
    if (now - (a.startedAt ?? now) > update.HealthyDeadline! / 1e6) return this.setHealth(a, false);
  }

  private setHealth(a: Allocation, healthy: boolean): void {
    a.DeploymentStatus = { ...a.DeploymentStatus!, Healthy: healthy, Timestamp: new Date().toISOString() };
    a.ModifyIndex = this.store.bump();
  }

  private died(a: Allocation, task: string, type: string, message: string): void {
    a.ClientStatus = "failed";
    a.ClientDescription = "Failed tasks";
    a.TaskStates[task] = { State: "dead", Failed: true, Events: [...a.TaskStates[task].Events, event(type, message)] };
    if (a.DeploymentStatus && a.DeploymentStatus.Healthy === undefined) a.DeploymentStatus.Healthy = false;
    a.ModifyIndex = this.store.bump();
  }
}

const event = (type: string, message: string) => ({ Type: type, Time: Date.now() * 1e6, DisplayMessage: message });

/** The host-network ports a group reserves, as Nomad reports them allocated on the (loopback) node. */
function allocatedResources(g: TaskGroup): Allocation["AllocatedResources"] {
  const reserved = (g.Networks ?? []).flatMap((n) => n.ReservedPorts ?? []);
  return {
    Shared: {
      Ports: reserved.map((p) => ({ Label: p.Label, Value: p.Value, To: 0, HostIP: "127.0.0.1" })),
      Networks: [
        {
          Mode: "host",
          Device: "lo",
          IP: "127.0.0.1",
          ReservedPorts: reserved.map((p) => ({ Label: p.Label, Value: p.Value })),
        },
      ],
    },
  };
}
