// Removing units through ECS, per service (one component in one slot): when every task of the
// service goes and its PRIMARY deployment runs their revision, the service is deleted (force:
// desired count 0 and delete at once) — Stella's cut-over when the old slot goes, its rollback
// when the new one does; otherwise the tasks are stopped one by one (ECS starts replacements of
// its PRIMARY revision, as it would). Resolves once the removed tasks no longer run; units
// already gone are ignored.
import { DeleteServiceCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { DriverError, DriverReasons, type ObservedUnit } from "../../../sdk/plugins/driver.ts";
import { call, isEcsError } from "./client.ts";
import { describeService } from "./apply.ts";
import { serviceTasks, type EcsContext } from "./observe.ts";

const REMOVE_TIMEOUT_MS = 2 * 60_000;

export async function removeUnits(
  ctx: EcsContext,
  units: readonly ObservedUnit[],
  signal?: AbortSignal,
): Promise<void> {
  const byService = new Map<string, Set<string>>();
  for (const u of units) {
    const service = u.name.slice(0, u.name.lastIndexOf("/"));
    byService.set(service, (byService.get(service) ?? new Set()).add(u.id));
  }
  for (const [service, ids] of byService) await removeFromService(ctx, service, ids, signal);
}

async function removeFromService(
  ctx: EcsContext,
  service: string,
  ids: Set<string>,
  signal?: AbortSignal,
): Promise<void> {
  const found = await describeService(ctx, service, signal);
  if (!found) return;
  const tasks = await serviceTasks(ctx, service, signal);
  const going = tasks.filter((t) => ids.has(t.taskArn!));
  if (going.length === 0) return;
  // The service goes only when what it is rolling out goes: tasks of an older revision, while
  // its PRIMARY deployment starts a newer one (another deployment's), are stopped one by one.
  const primary = found.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition;
  const rollingOutWhatGoes = !primary || going.some((t) => t.taskDefinitionArn === primary);
  if (going.length === tasks.length && rollingOutWhatGoes) {
    try {
      await call("DeleteService", () =>
        ctx.ecs.send(new DeleteServiceCommand({ cluster: ctx.cluster, service, force: true }), { abortSignal: signal }),
      );
    } catch (err) {
      if (!isEcsError((err as Error).cause, "ServiceNotFoundException")) throw err;
    }
  } else {
    for (const t of going) {
      await call("StopTask", () =>
        ctx.ecs.send(new StopTaskCommand({ cluster: ctx.cluster, task: t.taskArn, reason: "removed by Stella" }), {
          abortSignal: signal,
        }),
      );
    }
  }
  const deadline = Date.now() + REMOVE_TIMEOUT_MS;
  for (;;) {
    const left = (await serviceTasks(ctx, service, signal)).filter(
      (t) => ids.has(t.taskArn!) && t.lastStatus !== "STOPPED",
    );
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new DriverError(DriverReasons.ApplyFailed, `timed out waiting for tasks of ${service} to stop`, true);
    await new Promise((r) => setTimeout(r, 500));
  }
}
