// Waiting for services to run what apply registered, with as few calls as ECS allows: one
// DescribeServices per 10 services a poll (the deployment of the new revision counts its running
// and failed tasks); the stopped tasks of a service are read only when its deployment counts a
// failed task, to tell an image that cannot be pulled (CannotPullContainerError) from other failures.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from "@aws-sdk/client-ecs";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";
import { call } from "./client.ts";
import type { EcsContext } from "./observe.ts";

const APPLY_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 500;

/**
 * A service apply changed: it should come to run `revision`; `created` when apply created it,
 * `blueGreen` when the revision runs beside the old one (an ECS blue/green deployment).
 */
export interface Pending {
  name: string;
  revision: string;
  created: boolean;
  blueGreen?: boolean;
}

/** Waits until a task of each pending revision runs; resolves with why some cannot, by service. */
export async function waitRunning(
  ctx: EcsContext,
  pending: readonly Pending[],
  signal?: AbortSignal,
): Promise<Map<Pending, string>> {
  const failures = new Map<Pending, string>();
  let waiting = [...pending];
  const deadline = Date.now() + APPLY_TIMEOUT_MS;
  while (waiting.length > 0) {
    const next: Pending[] = [];
    for (let i = 0; i < waiting.length; i += 10) {
      const batch = waiting.slice(i, i + 10);
      const out = await call("DescribeServices", () =>
        ctx.ecs.send(new DescribeServicesCommand({ cluster: ctx.cluster, services: batch.map((p) => p.name) }), {
          abortSignal: signal,
        }),
      );
      for (const p of batch) {
        const s = out.services?.find((x) => x.serviceName === p.name && x.status === "ACTIVE");
        if (!s) {
          // Deleted under the rollout (a scale-down or rollback elsewhere): nothing here will run.
          const why = `service ${p.name} was deleted while its deployment ran; applying again later`;
          throw new DriverError(DriverReasons.ApplyFailed, why, true);
        }
        const d = s.deployments?.find((x) => x.taskDefinition === p.revision);
        if (d?.rolloutState === "FAILED") {
          failures.set(p, d.rolloutStateReason ?? "deployment failed");
          continue;
        }
        if ((d?.runningCount ?? 0) > 0) continue;
        const pull = (d?.failedTasks ?? 0) > 0 ? await pullFailure(ctx, p, signal) : undefined;
        if (pull) failures.set(p, pull);
        else next.push(p);
      }
    }
    waiting = next;
    if (waiting.length === 0) break;
    if (Date.now() > deadline) {
      const names = waiting.map((p) => p.name).join(", ");
      throw new DriverError(DriverReasons.ApplyFailed, `timed out waiting for ${names} to run`, true);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return failures;
}

/** The stoppedReason of a task of `p.revision` that could not pull its image, if there is one. */
async function pullFailure(ctx: EcsContext, p: Pending, signal?: AbortSignal): Promise<string | undefined> {
  const list = await call("ListTasks", () =>
    ctx.ecs.send(new ListTasksCommand({ cluster: ctx.cluster, serviceName: p.name, desiredStatus: "STOPPED" }), {
      abortSignal: signal,
    }),
  );
  if (!list.taskArns?.length) return undefined;
  const { tasks = [] } = await call("DescribeTasks", () =>
    ctx.ecs.send(new DescribeTasksCommand({ cluster: ctx.cluster, tasks: list.taskArns!.slice(0, 100) }), {
      abortSignal: signal,
    }),
  );
  return tasks.find((t) => t.taskDefinitionArn === p.revision && /CannotPullContainer/.test(t.stoppedReason ?? ""))
    ?.stoppedReason;
}
