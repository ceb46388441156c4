// Health probes of an ECS task. http and tcp probes reach the task's address from outside, as a
// load balancer's target health check would. An exec probe cannot run from here (ECS Exec needs an
// SSM session): ECS runs it itself, as the container health check of the task definition, and the
// verdict is what DescribeTasks reports for the task's container (HEALTHY, UNHEALTHY, UNKNOWN) — so
// only the probe the task was registered with can be answered, and the driver says so for any other.
// A unit observed with its address (observe read it from DescribeTasks a moment ago) is probed
// there without describing its task again.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
import { isDeepStrictEqual } from "node:util";
import { DescribeTasksCommand } from "@aws-sdk/client-ecs";
import type { HealthCheck } from "../../../crds/health-check.ts";
import type { ObservedUnit, ProbeResult } from "../../../sdk/plugins/driver.ts";
import { probeNetwork } from "../../probes/index.ts";
import { call } from "./client.ts";
import { taskDefinition, taskHost, type EcsContext } from "./observe.ts";
import { healthCommand } from "./render.ts";

export async function checkTask(
  ctx: EcsContext,
  unit: ObservedUnit,
  check: HealthCheck,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if (!check.exec && unit.host) return (await probeNetwork(unit.host, unit, check, signal))!;
  const out = await call("DescribeTasks", () =>
    ctx.ecs.send(new DescribeTasksCommand({ cluster: ctx.cluster, tasks: [unit.id] }), { abortSignal: signal }),
  );
  const task = out.tasks?.[0];
  if (!task) return { healthy: false, message: `task ${unit.name} is gone` };
  if (!check.exec) {
    const address = taskHost(task, unit.ports[0]?.hostPort);
    if (!address) return { healthy: false, message: `task ${unit.name} has no address yet` };
    return (await probeNetwork(address, unit, check, signal))!;
  }
  const def = await taskDefinition(ctx, task.taskDefinitionArn!, signal);
  const declared = def.containerDefinitions?.[0]?.healthCheck?.command;
  const wanted = healthCommand(unit, check);
  if (!isDeepStrictEqual(declared, wanted)) {
    return {
      healthy: false,
      message: `ECS runs only the container health check of ${unit.name}'s task definition; exec ${JSON.stringify(check.exec.command)} is not it`,
    };
  }
  const status = task.containers?.[0]?.healthStatus ?? "UNKNOWN";
  return {
    healthy: status === "HEALTHY",
    message: `ECS reports ${unit.name}'s container health check ${status}${status === "UNKNOWN" ? " (not decided yet)" : ""}`,
  };
}
