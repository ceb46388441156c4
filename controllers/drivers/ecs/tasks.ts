// The tasks of Stella's services that should run (desiredStatus RUNNING), read with as few calls
// as the cluster allows. ListTasks names at most 100 tasks a page and DescribeTasks describes at
// most 100 a call; tasks are listed per service, or, when the cluster runs few tasks besides
// Stella's, for the whole cluster at once (each task's `group` is `service:NAME`):
//   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html
//   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
//   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Cluster.html (runningTasksCount, pendingTasksCount)
import {
  DescribeClustersCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import { call } from "./client.ts";
import type { EcsContext } from "./observe.ts";

/** ListTasks names, and DescribeTasks describes, at most this many tasks a call. */
const PAGE = 100;

const pages = (tasks: number) => Math.ceil(tasks / PAGE);

/** The ARNs of the cluster's tasks that should run, of one service (`service`) or of all, every page. */
async function taskArns(ctx: EcsContext, service: string | undefined, signal?: AbortSignal): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call("ListTasks", () =>
      ctx.ecs.send(
        new ListTasksCommand({
          cluster: ctx.cluster,
          ...(service ? { serviceName: service } : {}),
          desiredStatus: "RUNNING",
          maxResults: PAGE,
          nextToken,
        }),
        { abortSignal: signal },
      ),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** The tasks of `arns`, described at most PAGE a call. */
async function describeTasks(ctx: EcsContext, arns: readonly string[], signal?: AbortSignal): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += PAGE) {
    const out = await call("DescribeTasks", () =>
      ctx.ecs.send(new DescribeTasksCommand({ cluster: ctx.cluster, tasks: arns.slice(i, i + PAGE) }), {
        abortSignal: signal,
      }),
    );
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}

/** The tasks of `service` that should run. */
export async function serviceTasks(ctx: EcsContext, service: string, signal?: AbortSignal): Promise<Task[]> {
  return describeTasks(ctx, await taskArns(ctx, service, signal), signal);
}

/**
 * Whether reading the whole cluster's tasks takes fewer calls than a ListTasks per service: the
 * cluster's task count (DescribeClusters) in pages, listed and described, against one ListTasks
 * per service (more for a service of over 100 tasks) and the describes of their tasks.
 */
async function wholeClusterPays(ctx: EcsContext, services: readonly Service[], signal?: AbortSignal) {
  // One service: its ListTasks is one call; two: DescribeClusters alone costs what it could save.
  if (services.length < 3) return false;
  const out = await call("DescribeClusters", () =>
    ctx.ecs.send(new DescribeClustersCommand({ clusters: [ctx.cluster] }), { abortSignal: signal }),
  );
  const cluster = out.clusters?.[0];
  if (cluster?.runningTasksCount === undefined) return false;
  const inCluster = cluster.runningTasksCount + (cluster.pendingTasksCount ?? 0);
  const counts = services.map((s) => Math.max(s.desiredCount ?? 0, (s.runningCount ?? 0) + (s.pendingCount ?? 0)));
  const perService = counts.reduce((n, c) => n + Math.max(1, pages(c)), 0) + pages(counts.reduce((a, b) => a + b, 0));
  return 2 * Math.max(1, pages(inCluster)) < perService;
}

/**
 * The tasks that should run of each of `services`, by service name, described together (one
 * DescribeTasks per 100 tasks, not one per service); listed per service, or for the whole cluster
 * when that takes fewer calls.
 */
export async function tasksOfServices(
  ctx: EcsContext,
  services: readonly Service[],
  signal?: AbortSignal,
): Promise<Map<string, Task[]>> {
  const byService = new Map<string, Task[]>(services.map((s) => [s.serviceName!, []]));
  if (await wholeClusterPays(ctx, services, signal)) {
    for (const task of await describeTasks(ctx, await taskArns(ctx, undefined, signal), signal))
      byService.get(task.group?.startsWith("service:") ? task.group.slice("service:".length) : "")?.push(task);
    return byService;
  }
  const owner = new Map<string, string>();
  for (const s of services)
    for (const arn of await taskArns(ctx, s.serviceName!, signal)) owner.set(arn, s.serviceName!);
  for (const task of await describeTasks(ctx, [...owner.keys()], signal))
    byService.get(owner.get(task.taskArn!) ?? "")?.push(task);
  return byService;
}
