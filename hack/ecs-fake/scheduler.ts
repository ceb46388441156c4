// The ECS contract fake's service scheduler, every half second per service, with ECS semantics:
//  - the PRIMARY deployment starts tasks up to desiredCount within maximumPercent; ACTIVE (older)
//    deployments lose their tasks once the primary's are running (and healthy, with a health
//    check), or earlier when minimumHealthyPercent allows it (0: stop first, as host ports need),
//    or when they hold a host port the primary's tasks need (the fake has one network for all its
//    tasks, no ENI per awsvpc task: holdsPortsOf);
//  - a task whose essential container exits, that fails its container health check, or whose image
//    cannot be pulled (CannotPullContainerError) stops and counts as a failed task; only the PRIMARY
//    (green) revision's are replaced. ECS, since November 2025, also replaces an old revision's
//    task from that revision during a rolling deployment; the fake keeps the harsher behaviour, in
//    which an old (blue) task can be gone before Stella's scale-down sees it;
//    https://aws.amazon.com/about-aws/whats-new/2025/11/amazon-ecs-service-availability-rolling-deployments
//  - the deployment circuit breaker fails the rollout after max(3, desired/2) failed tasks and, with
//    rollback, starts a new PRIMARY deployment of the last COMPLETED task definition;
//  - rolloutState IN_PROGRESS -> COMPLETED once the primary runs desiredCount tasks and nothing older
//    is left; every transition is a service event;
//  - each deployment is also a service deployment (API_ServiceDeployment): SUCCESSFUL when it
//    completes, ROLLBACK_* when the circuit breaker or StopServiceDeployment rolls it back; a
//    BLUE_GREEN one walks its lifecycle stages instead (service-deployments.ts, blueGreen below).
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
import { randomUUID } from "node:crypto";
import { containerState, pull, startContainer, stopTask } from "./dataplane.ts";
import { nextStage, pauseAt } from "./service-deployments.ts";
import { FINISHED, type Store } from "./store.ts";
import type { Deployment, Service, ServiceDeployment, Task } from "./types.ts";

const TICK_MS = 500;

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private busy = false;
  constructor(
    private readonly store: Store,
    /** The value of INSTANCE_LABEL on this fake's containers. */
    readonly instance: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const s of [...this.store.services.values()])
        await this.reconcile(s).catch((err) => this.event(s, `fake: ${err}`));
    } finally {
      this.busy = false;
    }
  }

  private async reconcile(s: Service): Promise<void> {
    if (s.status === "INACTIVE") return;
    const tasks = () =>
      [...this.store.tasks.values()].filter(
        (t) => t.group === `service:${s.serviceName}` && t.clusterArn === s.clusterArn && t.desiredStatus === "RUNNING",
      );
    for (const t of this.store.tasks.values()) {
      if (t.group === `service:${s.serviceName}` && t.desiredStatus === "STOPPED" && t.lastStatus !== "STOPPED") {
        await this.stopTask(t, t.stoppedReason ?? "Task stopped by user", t.stopCode);
      }
    }
    for (const t of tasks()) await this.refresh(s, t);
    if (s.status === "DRAINING") {
      for (const t of tasks()) await this.stopTask(t, "Scaling activity initiated by (deployment ecs-svc/delete)");
      s.status = "INACTIVE";
      s.deployments = [];
      return;
    }
    const of = (d: Deployment) => tasks().filter((t) => t.startedBy === d.id);
    const sd = s.currentServiceDeployment ? this.store.serviceDeployments.get(s.currentServiceDeployment) : undefined;
    if (sd && !FINISHED.has(sd.status) && sd.deploymentConfiguration.strategy === "BLUE_GREEN" && sd.sources.length) {
      await this.blueGreen(s, sd, of);
      this.count(s, of);
      return;
    }
    if (sd?.status === "ROLLBACK_REQUESTED") this.rollBack(s, sd, sd.statusReason ?? "rollback requested");
    const primary = s.deployments[0];
    this.circuitBreaker(s, primary, sd);
    const current = s.deployments[0];
    const desired = s.desiredCount;
    const cfg = s.deploymentConfiguration;
    const ready = (t: Task) => t.lastStatus === "RUNNING" && (t.healthStatus === "HEALTHY" || !this.hasCheck(t));
    const minHealthy = Math.ceil((desired * (cfg.minimumHealthyPercent ?? 100)) / 100);
    for (const old of s.deployments.slice(1)) {
      for (const t of of(old)) {
        const healthy = tasks().filter(ready).length;
        const clash = this.holdsPortsOf(t, current);
        if (clash || of(current).filter(ready).length >= desired || healthy - 1 >= minHealthy || !ready(t)) {
          await this.stopTask(t, `Scaling activity initiated by (deployment ${current.id})`);
        }
      }
    }
    s.deployments = s.deployments.filter((d, i) => i === 0 || of(d).length > 0);
    const max = Math.floor((desired * (cfg.maximumPercent ?? 200)) / 100);
    if (current.rolloutState !== "FAILED" && of(current).length < desired && tasks().length < Math.max(max, 1)) {
      await this.startTask(s, current); // one a tick: a task that fails to start is retried on the next
    }
    this.count(s, of);
    if (
      current.rolloutState === "IN_PROGRESS" &&
      s.deployments.length === 1 &&
      of(current).filter(ready).length >= desired
    ) {
      current.rolloutState = "COMPLETED";
      current.rolloutStateReason = "ECS deployment completed.";
      current.updatedAt = Date.now();
      s.lastCompleted = current.taskDefinition;
      this.event(s, `(service ${s.serviceName}) has reached a steady state.`);
      if (sd && (sd.status === "IN_PROGRESS" || sd.status === "ROLLBACK_IN_PROGRESS")) {
        finish(sd, sd.status === "IN_PROGRESS" ? "SUCCESSFUL" : "ROLLBACK_SUCCESSFUL");
      }
    }
  }

  /**
   * Whether task `t` holds a host port `d`'s tasks need. A limit of this fake's data plane, not
   * ECS's behaviour: every task shares the machine's one network (no ENI per awsvpc task), so a
   * rolling update that would start a task beside one on the same ports stops the old one first.
   */
  private holdsPortsOf(t: Task, d: Deployment): boolean {
    const ports = (arn: string) =>
      (this.store.taskDefs.get(arn)?.containerDefinitions[0]?.portMappings ?? []).map((p) => p.hostPort);
    const held = new Set(ports(t.taskDefinitionArn));
    return ports(d.taskDefinition).some((p) => p !== undefined && held.has(p));
  }

  private count(s: Service, of: (d: Deployment) => Task[]): void {
    for (const d of s.deployments) {
      d.runningCount = of(d).filter((t) => t.lastStatus === "RUNNING").length;
      d.pendingCount = of(d).length - d.runningCount;
    }
    const sd = s.currentServiceDeployment ? this.store.serviceDeployments.get(s.currentServiceDeployment) : undefined;
    for (const summary of sd ? [sd.targetServiceRevision, ...sd.sourceServiceRevisions] : []) {
      const d = s.deployments.find((x) => this.store.revisionArn(s, x) === summary.arn);
      if (!d) continue;
      summary.runningTaskCount = d.runningCount;
      summary.pendingTaskCount = d.pendingCount;
    }
  }

  /** A rolling deployment's rollback (StopServiceDeployment): a PRIMARY deployment of the last completed revision. */
  private rollBack(s: Service, sd: ServiceDeployment, reason: string): void {
    const d = s.deployments[0];
    const back = s.lastCompleted;
    sd.status = back && back !== d.taskDefinition ? "ROLLBACK_IN_PROGRESS" : "STOPPED";
    d.rolloutState = "FAILED";
    d.rolloutStateReason = reason;
    if (sd.status === "STOPPED") return finish(sd, "STOPPED");
    d.status = "ACTIVE";
    s.taskDefinition = back!;
    s.deployments.unshift(this.store.newDeployment(s, back!));
    sd.rollback = { reason, startedAt: Date.now(), serviceRevisionArn: this.store.revisionArn(s, s.deployments[0]) };
    this.event(s, `(service ${s.serviceName}) rolling back to deployment ${s.deployments[0].id}.`);
  }

  /**
   * One tick of a BLUE_GREEN service deployment (service-deployments.ts): the green deployment's
   * tasks start beside the blue ones, the deployment walks its stages, waits at PAUSE hooks and for
   * the bake time, and cleans blue up; or it rolls back: green stops, blue is the service's again.
   */
  private async blueGreen(s: Service, sd: ServiceDeployment, of: (d: Deployment) => Task[]): Promise<void> {
    const now = Date.now();
    const green = s.deployments.find((d) => d.id === sd.target);
    const blue =
      s.deployments.find((d) => sd.sources.includes(d.id) && of(d).length > 0) ??
      s.deployments.find((d) => sd.sources.includes(d.id));
    const ready = (t: Task) => t.lastStatus === "RUNNING" && (t.healthStatus === "HEALTHY" || !this.hasCheck(t));
    if (sd.status === "ROLLBACK_REQUESTED") {
      sd.status = "ROLLBACK_IN_PROGRESS";
      sd.rollback = {
        reason: sd.statusReason ?? "rollback requested",
        startedAt: now,
        serviceRevisionArn: blue ? this.store.revisionArn(s, blue) : "",
      };
      this.event(
        s,
        `(service ${s.serviceName}) (service deployment ${sd.serviceDeploymentArn}) rolling back: ${sd.statusReason}.`,
      );
    }
    if (sd.status === "ROLLBACK_IN_PROGRESS") {
      if (green) {
        for (const t of of(green))
          await this.stopTask(t, `Scaling activity initiated by (rollback of deployment ${green.id})`);
        Object.assign(green, { status: "ACTIVE", rolloutState: "FAILED", rolloutStateReason: sd.statusReason ?? "" });
      }
      if (!blue) return finish(sd, "ROLLBACK_FAILED");
      Object.assign(blue, { status: "PRIMARY" });
      s.taskDefinition = blue.taskDefinition;
      s.deployments = [blue];
      if (of(blue).length < s.desiredCount) await this.startTask(s, blue);
      if (of(blue).filter(ready).length >= s.desiredCount) {
        Object.assign(blue, {
          rolloutState: "COMPLETED",
          rolloutStateReason: "ECS deployment completed.",
          updatedAt: now,
        });
        s.lastCompleted = blue.taskDefinition;
        finish(sd, "ROLLBACK_SUCCESSFUL");
        this.event(s, `(service ${s.serviceName}) rolled back to ${blue.taskDefinition}: ${sd.statusReason}.`);
      }
      return;
    }
    if (!green) return finish(sd, "STOPPED");
    // Green keeps its desired count from SCALE_UP on: a task that stopped is replaced, one a tick.
    const scaling = sd.lifecycleStage !== "PRE_SCALE_UP";
    if (scaling && of(green).length < s.desiredCount) await this.startTask(s, green);
    // The circuit breaker watches the green revision's tasks as in a rolling deployment.
    const breaker = s.deploymentConfiguration.deploymentCircuitBreaker;
    if (breaker?.enable && green.failedTasks >= Math.min(200, Math.max(3, Math.ceil(s.desiredCount / 2)))) {
      sd.status = "ROLLBACK_REQUESTED";
      sd.statusReason = "ECS deployment circuit breaker: tasks failed to start.";
      this.event(s, `(service ${s.serviceName}) (deployment ${green.id}) deployment failed: tasks failed to start.`);
      return;
    }
    for (let guard = 0; guard < 12; guard++) {
      const hook = pauseAt(sd, now);
      if (hook?.status === "AWAITING_ACTION") return;
      if (hook) {
        sd.status = "ROLLBACK_REQUESTED";
        sd.statusReason =
          hook.status === "TIMED_OUT"
            ? `lifecycle hook ${hook.hookId} timed out`
            : `lifecycle hook ${hook.hookId} failed`;
        return;
      }
      const stage = sd.lifecycleStage;
      if (stage === "SCALE_UP" && of(green).filter(ready).length < s.desiredCount) return;
      if (stage === "BAKE_TIME" && now - sd.stageAt < (sd.deploymentConfiguration.bakeTimeInMinutes ?? 0) * 60_000)
        return;
      if (stage === "CLEAN_UP") {
        for (const d of s.deployments.filter((x) => x !== green))
          for (const t of of(d)) await this.stopTask(t, `Scaling activity initiated by (deployment ${green.id})`);
        s.deployments = [green];
        Object.assign(green, {
          rolloutState: "COMPLETED",
          rolloutStateReason: "ECS deployment completed.",
          updatedAt: now,
        });
        s.lastCompleted = green.taskDefinition;
        finish(sd, "SUCCESSFUL");
        this.event(s, `(service ${s.serviceName}) has reached a steady state.`);
        return;
      }
      nextStage(sd, now);
    }
  }

  private circuitBreaker(s: Service, d: Deployment, sd?: ServiceDeployment): void {
    const breaker = s.deploymentConfiguration.deploymentCircuitBreaker;
    if (!breaker?.enable || d.rolloutState !== "IN_PROGRESS") return;
    if (d.failedTasks < Math.min(200, Math.max(3, Math.ceil(s.desiredCount / 2)))) return;
    d.rolloutState = "FAILED";
    d.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
    d.updatedAt = Date.now();
    this.event(s, `(service ${s.serviceName}) (deployment ${d.id}) deployment failed: tasks failed to start.`);
    if (breaker.rollback && s.lastCompleted && s.lastCompleted !== d.taskDefinition) {
      d.status = "ACTIVE";
      s.taskDefinition = s.lastCompleted;
      s.deployments.unshift(this.store.newDeployment(s, s.lastCompleted));
      this.event(s, `(service ${s.serviceName}) rolling back to deployment ${s.deployments[0].id}.`);
      if (sd?.status === "IN_PROGRESS") {
        sd.status = "ROLLBACK_IN_PROGRESS";
        sd.statusReason = "ECS deployment circuit breaker: tasks failed to start.";
        sd.rollback = {
          reason: sd.statusReason,
          startedAt: Date.now(),
          serviceRevisionArn: this.store.revisionArn(s, s.deployments[0]),
        };
      }
    } else if (sd?.status === "IN_PROGRESS") {
      sd.statusReason = "ECS deployment circuit breaker: tasks failed to start.";
      finish(sd, "STOPPED");
    }
  }

  private hasCheck(t: Task): boolean {
    return !!this.store.taskDefs.get(t.taskDefinitionArn)?.containerDefinitions[0].healthCheck;
  }

  private async startTask(s: Service, d: Deployment): Promise<void> {
    const def = this.store.taskDefs.get(d.taskDefinition)!;
    const container = def.containerDefinitions[0];
    const task = this.store.newTask(s, d, def);
    try {
      await pull(container.image);
    } catch (err) {
      d.failedTasks++;
      return this.stopped(
        s,
        task,
        `CannotPullContainerError: ${(err as Error).message.split("\n")[0]}`,
        "TaskFailedToStart",
      );
    }
    try {
      task.container = await startContainer(task, container, this.instance);
      task.lastStatus = "RUNNING";
      task.startedAt = Date.now();
      task.containers[0].lastStatus = "RUNNING";
      this.event(s, `(service ${s.serviceName}) has started 1 tasks: (task ${task.taskArn.split("/").at(-1)}).`);
    } catch (err) {
      d.failedTasks++;
      this.stopped(s, task, `CannotStartContainerError: ${(err as Error).message.split("\n")[0]}`, "TaskFailedToStart");
    }
  }

  /** Reads the container back: an exited one stops its task; Docker's health verdict becomes the task's. */
  private async refresh(s: Service, t: Task): Promise<void> {
    if (!t.container || t.lastStatus !== "RUNNING") return;
    const d = s.deployments.find((x) => x.id === t.startedBy);
    const state = await containerState(t.container);
    if (!state.running) {
      if (d) d.failedTasks++;
      t.containers[0].exitCode = state.exitCode;
      await this.stopTask(t, "Essential container in task exited", "EssentialContainerExited");
      this.event(
        s,
        `(service ${s.serviceName}) task ${t.taskArn.split("/").at(-1)} stopped: essential container exited.`,
      );
      return;
    }
    t.healthStatus = t.containers[0].healthStatus = state.health;
    if (state.health !== "UNHEALTHY") return;
    if (d) d.failedTasks++;
    this.event(s, `(service ${s.serviceName}) task ${t.taskArn.split("/").at(-1)} failed container health checks.`);
    await this.stopTask(t, "Task failed container health checks");
  }

  private async stopTask(t: Task, reason: string, stopCode = "ServiceSchedulerInitiated"): Promise<void> {
    t.desiredStatus = "STOPPED";
    if (t.container) await stopTask(t.container);
    t.lastStatus = "STOPPED";
    t.containers[0].lastStatus = "STOPPED";
    t.stoppedReason = reason;
    t.stopCode = stopCode;
    t.stoppedAt = Date.now();
  }

  private stopped(s: Service, t: Task, reason: string, stopCode: string): void {
    Object.assign(t, {
      desiredStatus: "STOPPED",
      lastStatus: "STOPPED",
      stoppedReason: reason,
      stopCode,
      stoppedAt: Date.now(),
    });
    t.containers[0].lastStatus = "STOPPED";
    t.containers[0].reason = reason;
    this.event(s, `(service ${s.serviceName}) was unable to place a task: ${reason}`);
  }

  private event(s: Service, message: string): void {
    s.events.unshift({ id: randomUUID(), createdAt: Date.now(), message });
    s.events.length = Math.min(s.events.length, 100);
  }
}

/** Ends a service deployment in `status`. */
function finish(sd: ServiceDeployment, status: ServiceDeployment["status"]): void {
  const now = Date.now();
  sd.status = status;
  sd.updatedAt = now;
  if (status === "STOPPED") sd.stoppedAt = now;
  else sd.finishedAt = now;
}
