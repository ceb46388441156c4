// The ECS contract fake's state and the API actions the ecs driver calls, with ECS semantics:
// task definition families with revisions, services whose updates start a new PRIMARY deployment
// (the previous ones turn ACTIVE and drain), tasks. Errors carry ECS's `__type` names.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Operations.html
import { randomBytes, randomUUID } from "node:crypto";
import { EcsFault } from "./errors.ts";
import { serviceDeploymentView, validateDeploymentConfiguration } from "./service-deployments.ts";
import type {
  Deployment,
  DeploymentConfiguration,
  Service,
  ServiceDeployment,
  Tag,
  Task,
  TaskDefinition,
} from "./types.ts";

export { EcsFault };

const ACCOUNT = "000000000000";
type Body = Record<string, unknown>;

/**
 * Where every fake task answers: its container runs host-network on the local engine. Reported as
 * an awsvpc task's ENI address and as a host-mode task's bindIP (real ECS host and bridge mode
 * report 0.0.0.0 there, which the driver reads as "not said").
 */
const LOOPBACK = "127.0.0.1";

export class Store {
  readonly taskDefs = new Map<string, TaskDefinition>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  /** Service deployments by ARN, in creation order. */
  readonly serviceDeployments = new Map<string, ServiceDeployment>();
  private readonly revisions = new Map<string, number>();

  constructor(
    readonly region: string,
    readonly clusters: string[],
  ) {}

  private arn = (resource: string) => `arn:aws:ecs:${this.region}:${ACCOUNT}:${resource}`;

  /** The cluster's ARN; ClusterNotFoundException when the fake has no such cluster. */
  clusterArn(cluster: unknown): string {
    const name = String(cluster ?? "default")
      .split("/")
      .at(-1)!;
    if (!this.clusters.includes(name)) throw new EcsFault("ClusterNotFoundException", "Cluster not found.");
    return this.arn(`cluster/${name}`);
  }

  private taskDef(ref: unknown): TaskDefinition {
    const key = String(ref ?? "");
    const found =
      this.taskDefs.get(key) ??
      this.taskDefs.get(this.arn(`task-definition/${key}`)) ??
      [...this.taskDefs.values()].filter((d) => d.family === key && d.status === "ACTIVE").at(-1);
    if (!found) throw new EcsFault("ClientException", "Unable to describe task definition.");
    return found;
  }

  private service(clusterArn: string, ref: unknown): Service | undefined {
    const name = String(ref ?? "")
      .split("/")
      .at(-1)!;
    return this.services.get(`${clusterArn}/${name}`);
  }

  newDeployment(s: Service, taskDefinition: string): Deployment {
    const now = Date.now();
    return {
      id: `ecs-svc/${randomBytes(8).readBigUInt64BE().toString().slice(0, 19)}`,
      status: "PRIMARY",
      taskDefinition,
      desiredCount: s.desiredCount,
      pendingCount: 0,
      runningCount: 0,
      failedTasks: 0,
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: "ECS deployment in progress.",
      createdAt: now,
      updatedAt: now,
      launchType: s.launchType,
    };
  }

  /** The service revision a deployment runs (one per deployment here: its id's number). */
  revisionArn(s: Service, d: Pick<Deployment, "id">): string {
    return this.arn(`service-revision/${s.clusterArn.split("/").at(-1)}/${s.serviceName}/${d.id.split("/").at(-1)}`);
  }

  /**
   * A service deployment for deployment `d` (API_ServiceDeployment), made current: ECS creates one
   * whenever a service is created or updated in a way that needs a deployment.
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
   */
  startServiceDeployment(s: Service, d: Deployment, sources: Deployment[]): ServiceDeployment {
    const now = Date.now();
    const cluster = s.clusterArn.split("/").at(-1);
    const summary = (x: Deployment) => ({
      arn: this.revisionArn(s, x),
      requestedTaskCount: x.desiredCount,
      runningTaskCount: x.runningCount,
      pendingTaskCount: x.pendingCount,
    });
    const sd: ServiceDeployment = {
      serviceDeploymentArn: this.arn(
        `service-deployment/${cluster}/${s.serviceName}/${randomBytes(11).toString("base64url")}`,
      ),
      serviceArn: s.serviceArn,
      clusterArn: s.clusterArn,
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      sourceServiceRevisions: sources.map(summary),
      targetServiceRevision: summary(d),
      status: "IN_PROGRESS",
      lifecycleStage: s.deploymentConfiguration.strategy === "BLUE_GREEN" ? "PRE_SCALE_UP" : undefined,
      lifecycleHookDetails: [],
      deploymentConfiguration: structuredClone(s.deploymentConfiguration),
      target: d.id,
      sources: sources.map((x) => x.id),
      stageAt: now,
    };
    const previous = s.currentServiceDeployment && this.serviceDeployments.get(s.currentServiceDeployment);
    if (previous && !FINISHED.has(previous.status)) {
      // A new deployment takes over from one that had not finished (ECS: the older one stops).
      Object.assign(previous, {
        status: "STOPPED",
        statusReason: "Superseded by a newer service deployment.",
        stoppedAt: now,
      });
    }
    this.serviceDeployments.set(sd.serviceDeploymentArn, sd);
    s.currentServiceDeployment = sd.serviceDeploymentArn;
    return sd;
  }

  newTask(s: Service, d: Deployment, def: TaskDefinition): Task {
    const id = randomUUID().replace(/-/g, "");
    const cluster = s.clusterArn.split("/").at(-1);
    // Where its ports answer, shaped as ECS reports it (API_Task, API_Attachment, API_NetworkBinding):
    // an awsvpc task's ENI and its containers' networkInterfaces, else host-mode networkBindings.
    const awsvpc = def.networkMode === "awsvpc";
    const eni = randomUUID();
    const task: Task = {
      taskArn: this.arn(`task/${cluster}/${id}`),
      clusterArn: s.clusterArn,
      taskDefinitionArn: def.taskDefinitionArn,
      group: `service:${s.serviceName}`,
      startedBy: d.id,
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      healthStatus: "UNKNOWN",
      createdAt: Date.now(),
      containers: def.containerDefinitions.map((c) => ({
        name: c.name,
        image: c.image,
        lastStatus: "PENDING",
        healthStatus: "UNKNOWN",
        ...(awsvpc
          ? { networkInterfaces: [{ attachmentId: eni, privateIpv4Address: LOOPBACK }] }
          : {
              networkBindings: (c.portMappings ?? []).map((p) => ({
                bindIP: LOOPBACK,
                containerPort: p.containerPort,
                hostPort: p.hostPort ?? p.containerPort,
                protocol: p.protocol ?? "tcp",
              })),
            }),
      })),
      ...(awsvpc
        ? {
            attachments: [
              {
                id: eni,
                type: "ElasticNetworkInterface",
                status: "ATTACHED",
                details: [
                  { name: "subnetId", value: "subnet-0fake" },
                  { name: "networkInterfaceId", value: `eni-${id.slice(0, 17)}` },
                  { name: "privateIPv4Address", value: LOOPBACK },
                ],
              },
            ],
          }
        : {}),
    };
    this.tasks.set(task.taskArn, task);
    return task;
  }

  describeClusters(b: Body): Body {
    const names = (b.clusters as string[] | undefined) ?? ["default"];
    const clusters = names
      .filter((n) => this.clusters.includes(n.split("/").at(-1)!))
      .map((n) => ({
        clusterArn: this.clusterArn(n),
        clusterName: n.split("/").at(-1),
        status: "ACTIVE",
        activeServicesCount: [...this.services.values()].filter(
          (s) => s.clusterArn === this.clusterArn(n) && s.status === "ACTIVE",
        ).length,
        // API_Cluster: tasks in the RUNNING and in the PENDING state.
        runningTasksCount: this.tasksIn(n, "RUNNING"),
        pendingTasksCount: this.tasksIn(n, "PENDING"),
      }));
    const failures = names
      .filter((n) => !this.clusters.includes(n.split("/").at(-1)!))
      .map((n) => ({ arn: n, reason: "MISSING" }));
    return { clusters, failures };
  }

  /** How many of cluster `name`'s tasks are in `status` now. */
  private tasksIn(name: string, status: string): number {
    const arn = this.clusterArn(name);
    return [...this.tasks.values()].filter((t) => t.clusterArn === arn && t.lastStatus === status).length;
  }

  registerTaskDefinition(b: Body): Body {
    const family = String(b.family ?? "");
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family))
      throw new EcsFault("ClientException", "Family contains invalid characters.");
    const defs = b.containerDefinitions as TaskDefinition["containerDefinitions"] | undefined;
    if (!defs?.length) throw new EcsFault("ClientException", "Container list cannot be empty.");
    const revision = (this.revisions.get(family) ?? 0) + 1;
    this.revisions.set(family, revision);
    const def: TaskDefinition = {
      ...(b as object),
      family,
      revision,
      status: "ACTIVE",
      containerDefinitions: defs,
      taskDefinitionArn: this.arn(`task-definition/${family}:${revision}`),
      registeredAt: Date.now(),
    } as TaskDefinition;
    delete (def as { tags?: unknown }).tags;
    this.taskDefs.set(def.taskDefinitionArn, def);
    return { taskDefinition: def, tags: b.tags ?? [] };
  }

  describeTaskDefinition(b: Body): Body {
    return { taskDefinition: this.taskDef(b.taskDefinition), tags: [] };
  }

  createService(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const name = String(b.serviceName ?? "");
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw new EcsFault("InvalidParameterException", "Invalid service name.");
    const existing = this.service(clusterArn, name);
    if (existing && existing.status !== "INACTIVE") {
      throw new EcsFault("InvalidParameterException", "Creation of service was not idempotent.");
    }
    const def = this.taskDef(b.taskDefinition);
    const config = (b.deploymentConfiguration ?? {}) as DeploymentConfiguration;
    validateDeploymentConfiguration(config);
    const s: Service = {
      serviceArn: this.arn(`service/${clusterArn.split("/").at(-1)}/${name}`),
      serviceName: name,
      clusterArn,
      status: "ACTIVE",
      desiredCount: Number(b.desiredCount ?? 0),
      taskDefinition: def.taskDefinitionArn,
      launchType: b.launchType as string | undefined,
      deploymentConfiguration: config,
      deployments: [],
      events: [],
      tags: (b.tags ?? []) as Tag[],
      createdAt: Date.now(),
    };
    s.deployments = [this.newDeployment(s, def.taskDefinitionArn)];
    this.startServiceDeployment(s, s.deployments[0], []);
    this.services.set(`${clusterArn}/${name}`, s);
    return { service: this.view(s) };
  }

  updateService(b: Body): Body {
    const s = this.service(this.clusterArn(b.cluster), b.service);
    if (!s || s.status !== "ACTIVE") throw new EcsFault("ServiceNotActiveException", "Service was not ACTIVE.");
    if (b.deploymentConfiguration) {
      validateDeploymentConfiguration(b.deploymentConfiguration as DeploymentConfiguration);
      s.deploymentConfiguration = b.deploymentConfiguration as DeploymentConfiguration;
    }
    if (typeof b.desiredCount === "number") s.desiredCount = b.desiredCount;
    const def = b.taskDefinition ? this.taskDef(b.taskDefinition) : undefined;
    if ((def && def.taskDefinitionArn !== s.taskDefinition) || b.forceNewDeployment) {
      s.taskDefinition = def?.taskDefinitionArn ?? s.taskDefinition;
      const sources = [...s.deployments];
      for (const d of s.deployments) d.status = "ACTIVE";
      s.deployments.unshift(this.newDeployment(s, s.taskDefinition));
      this.startServiceDeployment(s, s.deployments[0], sources);
    }
    for (const d of s.deployments) d.desiredCount = d.status === "PRIMARY" ? s.desiredCount : d.desiredCount;
    return { service: this.view(s) };
  }

  deleteService(b: Body): Body {
    const s = this.service(this.clusterArn(b.cluster), b.service);
    if (!s || s.status === "INACTIVE") throw new EcsFault("ServiceNotFoundException", "Service not found.");
    if (s.desiredCount > 0 && !b.force) {
      throw new EcsFault("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
    }
    s.status = "DRAINING";
    s.desiredCount = 0;
    const sd = s.currentServiceDeployment && this.serviceDeployments.get(s.currentServiceDeployment);
    if (sd && !FINISHED.has(sd.status))
      Object.assign(sd, { status: "STOPPED", statusReason: "The service was deleted.", stoppedAt: Date.now() });
    return { service: this.view(s) };
  }

  describeServices(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const refs = (b.services as string[] | undefined) ?? [];
    if (refs.length > 10) throw new EcsFault("InvalidParameterException", "services can have at most 10 items.");
    const found = refs.map((r) => [r, this.service(clusterArn, r)] as const);
    const withTags = ((b.include as string[] | undefined) ?? []).includes("TAGS");
    return {
      services: found
        .filter(([, s]) => s)
        .map(([, s]) => ({ ...this.view(s!), ...(withTags ? { tags: s!.tags } : {}) })),
      failures: found.filter(([, s]) => !s).map(([r]) => ({ arn: r, reason: "MISSING" })),
    };
  }

  listServices(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const arns = [...this.services.values()]
      .filter((s) => s.clusterArn === clusterArn && s.status !== "INACTIVE")
      .map((s) => s.serviceArn);
    return this.page(arns, b, "serviceArns");
  }

  listTasks(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const desired = String(b.desiredStatus ?? "RUNNING");
    const arns = [...this.tasks.values()]
      .filter(
        (t) =>
          t.clusterArn === clusterArn &&
          t.desiredStatus === desired &&
          (!b.serviceName || t.group === `service:${String(b.serviceName).split("/").at(-1)}`),
      )
      .map((t) => t.taskArn);
    return this.page(arns, b, "taskArns");
  }

  describeTasks(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const refs = (b.tasks as string[] | undefined) ?? [];
    if (refs.length > 100) throw new EcsFault("InvalidParameterException", "tasks can have at most 100 items.");
    const found = refs.map(
      (r) =>
        [
          r,
          [...this.tasks.values()].find(
            (t) => t.clusterArn === clusterArn && (t.taskArn === r || t.taskArn.endsWith(`/${r}`)),
          ),
        ] as const,
    );
    return {
      tasks: found.filter(([, t]) => t).map(([, t]) => taskView(t!)),
      failures: found.filter(([, t]) => !t).map(([r]) => ({ arn: r, reason: "MISSING" })),
    };
  }

  /** StopTask marks the task; the scheduler stops its container (and starts a replacement, as ECS does). */
  stopTask(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const t = [...this.tasks.values()].find(
      (x) => x.clusterArn === clusterArn && (x.taskArn === b.task || x.taskArn.endsWith(`/${b.task}`)),
    );
    if (!t) throw new EcsFault("InvalidParameterException", "The referenced task was not found.");
    t.desiredStatus = "STOPPED";
    t.stoppedReason = String(b.reason ?? "Task stopped by user");
    t.stopCode = "UserInitiated";
    return { task: taskView(t) };
  }

  /** ListServiceDeployments: the service's deployments, newest first, narrowed by status and createdAt. */
  listServiceDeployments(b: Body): Body {
    const clusterArn = this.clusterArn(b.cluster);
    const s = this.service(clusterArn, b.service);
    if (!s) throw new EcsFault("ServiceNotFoundException", "Service not found.");
    const statuses = (b.status as string[] | undefined) ?? [];
    const created = (b.createdAt ?? {}) as { before?: number; after?: number };
    const within = (sd: ServiceDeployment) =>
      (!statuses.length || statuses.includes(sd.status)) &&
      (created.before === undefined || sd.createdAt < created.before * 1000) &&
      (created.after === undefined || sd.createdAt > created.after * 1000);
    const briefs = [...this.serviceDeployments.values()]
      .filter((sd) => sd.serviceArn === s.serviceArn && within(sd))
      .reverse()
      .map((sd) => ({
        serviceDeploymentArn: sd.serviceDeploymentArn,
        serviceArn: sd.serviceArn,
        clusterArn: sd.clusterArn,
        createdAt: sd.createdAt / 1000,
        startedAt: sd.startedAt / 1000,
        ...(sd.finishedAt ? { finishedAt: sd.finishedAt / 1000 } : {}),
        targetServiceRevisionArn: sd.targetServiceRevision.arn,
        status: sd.status,
        ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
      }));
    const start = Number(b.nextToken ?? 0);
    const max = Number(b.maxResults ?? 20);
    const next = start + max < briefs.length ? String(start + max) : undefined;
    return { serviceDeployments: briefs.slice(start, start + max), ...(next ? { nextToken: next } : {}) };
  }

  /** DescribeServiceDeployments: up to 20 ARNs; unknown ones are failures with reason MISSING. */
  describeServiceDeployments(b: Body): Body {
    const arns = (b.serviceDeploymentArns as string[] | undefined) ?? [];
    if (arns.length > 20)
      throw new EcsFault("InvalidParameterException", "serviceDeploymentArns can have at most 20 items.");
    const found = arns.map((a) => [a, this.serviceDeployments.get(a)] as const);
    return {
      serviceDeployments: found.filter(([, sd]) => sd).map(([, sd]) => serviceDeploymentView(sd!)),
      failures: found.filter(([, sd]) => !sd).map(([a]) => ({ arn: a, reason: "MISSING" })),
    };
  }

  /**
   * ContinueServiceDeployment: resolves a PAUSE hook that is AWAITING_ACTION in an IN_PROGRESS
   * deployment, with CONTINUE (the default: on to the next lifecycle stage) or ROLLBACK.
   * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/continue-service-deployment.html
   */
  continueServiceDeployment(b: Body): Body {
    const sd = this.serviceDeployment(b.serviceDeploymentArn);
    const hook = sd.lifecycleHookDetails.find((h) => h.hookId === b.hookId);
    if (!hook)
      throw new EcsFault("InvalidParameterException", `No lifecycle hook ${String(b.hookId)} in this deployment.`);
    if (sd.status !== "IN_PROGRESS" || hook.status !== "AWAITING_ACTION") {
      throw new EcsFault(
        "InvalidParameterException",
        `The hook is ${hook.status} and the service deployment ${sd.status}: only a hook AWAITING_ACTION of an IN_PROGRESS deployment can be continued.`,
      );
    }
    const action = String(b.action ?? "CONTINUE");
    if (action !== "CONTINUE" && action !== "ROLLBACK")
      throw new EcsFault("InvalidParameterException", "action must be CONTINUE or ROLLBACK.");
    hook.status = action === "CONTINUE" ? "SUCCEEDED" : "FAILED";
    if (action === "ROLLBACK") requestRollback(sd, `rolled back by ContinueServiceDeployment at hook ${hook.hookId}`);
    sd.updatedAt = Date.now();
    return { serviceDeploymentArn: sd.serviceDeploymentArn };
  }

  /**
   * StopServiceDeployment with stopType ROLLBACK (the default here): PENDING and IN_PROGRESS move to
   * ROLLBACK_REQUESTED; STOP_REQUESTED and ROLLBACK_* carry on; a finished one is a ConflictException.
   * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
   */
  stopServiceDeployment(b: Body): Body {
    const sd = this.serviceDeployment(b.serviceDeploymentArn);
    const stopType = String(b.stopType ?? "ROLLBACK");
    if (stopType !== "ROLLBACK") throw new EcsFault("InvalidParameterException", "The valid stopType is ROLLBACK.");
    if (FINISHED.has(sd.status))
      throw new EcsFault("ConflictException", `The service deployment is ${sd.status} and cannot be stopped.`);
    if (sd.status === "PENDING" || sd.status === "IN_PROGRESS") {
      for (const h of sd.lifecycleHookDetails) if (h.status === "AWAITING_ACTION") h.status = "FAILED";
      requestRollback(sd, "rolled back by StopServiceDeployment");
    }
    return { serviceDeploymentArn: sd.serviceDeploymentArn };
  }

  private serviceDeployment(arn: unknown): ServiceDeployment {
    const sd = this.serviceDeployments.get(String(arn ?? ""));
    if (!sd) throw new EcsFault("ServiceDeploymentNotFoundException", "The service deployment does not exist.");
    return sd;
  }

  private page(all: string[], b: Body, key: string): Body {
    const start = Number(b.nextToken ?? 0);
    const max = Number(b.maxResults ?? 100);
    const next = start + max < all.length ? String(start + max) : undefined;
    return { [key]: all.slice(start, start + max), ...(next ? { nextToken: next } : {}) };
  }

  private view(s: Service): Body {
    const { lastCompleted: _, tags: __, ...rest } = s;
    return {
      ...rest,
      runningCount: s.deployments.reduce((n, d) => n + d.runningCount, 0),
      pendingCount: s.deployments.reduce((n, d) => n + d.pendingCount, 0),
    };
  }
}

/** Service deployment statuses of a finished deployment. */
export const FINISHED = new Set(["SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"]);

function requestRollback(sd: ServiceDeployment, reason: string): void {
  sd.status = "ROLLBACK_REQUESTED";
  sd.statusReason = reason;
  sd.updatedAt = Date.now();
}

const taskView = (t: Task): Body => {
  const { container: _, ...rest } = t;
  return rest;
};
