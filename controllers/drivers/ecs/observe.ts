// Units from ECS: every task that should run (desiredStatus RUNNING) of a service Stella created.
// The service's tags give namespace, environment, target and component; the docker labels of the
// task definition the task runs give slot, release, deployment and artifact (old and new revisions
// run side by side during a rolling update or a blue/green deployment, each task says which it
// is); port mappings the ports, and the task's network (ENI or port binding) the address they
// answer on. (Services of an older Stella, one per slot, carry the slot as a tag.)
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  type ECSClient,
  type Service,
  type Task,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { MANAGED_BY, UnitLabels, type ObservedUnit, type Slot, type UnitFilter } from "../../../sdk/plugins/driver.ts";
import { call } from "./client.ts";
import { tasksOfServices } from "./tasks.ts";

/** The client, the cluster, and task definitions already read (they never change once registered). */
export interface EcsContext {
  ecs: ECSClient;
  cluster: string;
  defs: Map<string, TaskDefinition>;
}

export const tagOf = (s: Service, key: string): string => s.tags?.find((t) => t.key === key)?.value ?? "";

/** Stella's ACTIVE services in the cluster matching the filter's scope (namespace, environment, target). */
export async function stellaServices(
  ctx: EcsContext,
  filter: UnitFilter = {},
  signal?: AbortSignal,
): Promise<Service[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call("ListServices", () =>
      ctx.ecs.send(new ListServicesCommand({ cluster: ctx.cluster, nextToken }), { abortSignal: signal }),
    );
    arns.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const services: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const out = await call("DescribeServices", () =>
      ctx.ecs.send(
        new DescribeServicesCommand({ cluster: ctx.cluster, services: arns.slice(i, i + 10), include: ["TAGS"] }),
        { abortSignal: signal },
      ),
    );
    services.push(...(out.services ?? []));
  }
  return services.filter(
    (s) =>
      s.status === "ACTIVE" &&
      tagOf(s, UnitLabels.managedBy) === MANAGED_BY &&
      (!filter.namespace || tagOf(s, UnitLabels.namespace) === filter.namespace) &&
      (!filter.environment || tagOf(s, UnitLabels.environment) === filter.environment) &&
      (!filter.target || tagOf(s, UnitLabels.target) === filter.target),
  );
}

/** One of Stella's labels on a task definition (a docker label of its container). */
export const labelOf = (def: TaskDefinition | undefined, label: string): string | undefined =>
  def?.containerDefinitions?.[0]?.dockerLabels?.[label];

/** The slot a task definition's tasks run in. */
export const slotOf = (def: TaskDefinition): string | undefined => labelOf(def, UnitLabels.slot);

export async function taskDefinition(ctx: EcsContext, arn: string, signal?: AbortSignal): Promise<TaskDefinition> {
  const known = ctx.defs.get(arn);
  if (known) return known;
  const out = await call("DescribeTaskDefinition", () =>
    ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }), { abortSignal: signal }),
  );
  ctx.defs.set(arn, out.taskDefinition!);
  return out.taskDefinition!;
}

const WILDCARD = new Set(["", "0.0.0.0", "::"]);

/**
 * The address a task's port `hostPort` answers on, as DescribeTasks says: the private IPv4 address
 * of an awsvpc task's ENI (the `ElasticNetworkInterface` attachment's `privateIPv4Address` detail,
 * or the container's `networkInterfaces[].privateIpv4Address`), else the container's network
 * binding of that port when it is bound to one address (host and bridge mode bind 0.0.0.0, which
 * says nothing: the container instance's address is not in the ECS API). Undefined when ECS does not say.
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html (attachments)
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Attachment.html
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_NetworkBinding.html
 */
export function taskHost(task: Task, hostPort?: number): string | undefined {
  const eni = task.attachments?.find((a) => a.type === "ElasticNetworkInterface" && a.status !== "DELETED");
  const ip = eni?.details?.find((d) => d.name === "privateIPv4Address")?.value;
  if (ip) return ip;
  const containers = task.containers ?? [];
  const nic = containers.flatMap((c) => c.networkInterfaces ?? []).find((n) => n.privateIpv4Address);
  if (nic?.privateIpv4Address) return nic.privateIpv4Address;
  const bindings = containers.flatMap((c) => c.networkBindings ?? []);
  const bound = bindings.find((b) => hostPort === undefined || b.hostPort === hostPort)?.bindIP;
  return bound && !WILDCARD.has(bound) ? bound : undefined;
}

/** One task as a unit. */
export function unitOf(s: Service, task: Task, def: TaskDefinition): ObservedUnit {
  const container = def.containerDefinitions?.[0];
  const labels = container?.dockerLabels ?? {};
  const status = task.lastStatus ?? "UNKNOWN";
  const health = task.healthStatus;
  const ports = (container?.portMappings ?? []).map((p) => ({
    name: p.name ?? String(p.containerPort),
    containerPort: p.containerPort!,
    hostPort: p.hostPort ?? p.containerPort!,
    protocol: p.protocol === "udp" ? ("UDP" as const) : ("TCP" as const),
  }));
  const host = status === "RUNNING" ? taskHost(task, ports[0]?.hostPort) : undefined;
  return {
    id: task.taskArn!,
    name: `${s.serviceName}/${task.taskArn!.split("/").at(-1)}`,
    namespace: tagOf(s, UnitLabels.namespace),
    environment: tagOf(s, UnitLabels.environment),
    release: labels[UnitLabels.release] ?? "",
    deployment: labels[UnitLabels.deployment] ?? "",
    target: tagOf(s, UnitLabels.target),
    component: tagOf(s, UnitLabels.component),
    slot: (labels[UnitLabels.slot] || tagOf(s, UnitLabels.slot)) as Slot,
    imageRef: container?.image ?? "",
    artifact: labels[UnitLabels.artifact] || undefined,
    state: status.toLowerCase(),
    running: status === "RUNNING",
    ports,
    ...(host ? { host } : {}),
    ...(task.stoppedReason ? { message: task.stoppedReason } : {}),
    ...(health === "HEALTHY" || health === "UNHEALTHY" ? { platformHealthy: health === "HEALTHY" } : {}),
  };
}

/** Every unit Stella runs in the cluster that matches `filter`. */
export async function observeServices(
  ctx: EcsContext,
  filter: UnitFilter = {},
  signal?: AbortSignal,
): Promise<ObservedUnit[]> {
  const units: ObservedUnit[] = [];
  const services = await stellaServices(ctx, filter, signal);
  const tasks = await tasksOfServices(ctx, services, signal);
  for (const s of services) {
    for (const task of tasks.get(s.serviceName!) ?? []) {
      units.push(unitOf(s, task, await taskDefinition(ctx, task.taskDefinitionArn!, signal)));
    }
  }
  return units.filter(
    (u) =>
      (!filter.release || u.release === filter.release) &&
      (!filter.deployment || u.deployment === filter.deployment) &&
      (!filter.slot || u.slot === filter.slot),
  );
}
