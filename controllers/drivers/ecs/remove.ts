// Removing units through ECS, per service (one component):
//  - while a blue/green deployment is under way (blue-green.ts), units of the old revision's slot
//    going promote it (CONTINUE at the hook: ECS cleans blue up) — Stella's cut-over or scale-down —
//    and units of the new revision's slot going revert it (ROLLBACK) — Stella's rollback; the slot
//    decides, so units whose tasks ECS has already replaced still revert what they stood for;
//  - otherwise, when every task of the service goes and its PRIMARY deployment runs their revision,
//    the service is deleted (force: desired count 0 and delete at once);
//  - otherwise the tasks are stopped one by one (ECS starts replacements of its PRIMARY revision).
// Resolves once the removed tasks no longer run; units already gone are ignored.
import { DeleteServiceCommand, StopTaskCommand, type Service } from "@aws-sdk/client-ecs";
import { DriverError, DriverReasons, type ObservedUnit } from "../../../sdk/plugins/driver.ts";
import { blueGreenUnderWay, revert } from "./blue-green.ts";
import { call, isEcsError } from "./client.ts";
import { describeService } from "./apply.ts";
import { promoteAtHook } from "./promote.ts";
import { slotOf, taskDefinition, type EcsContext } from "./observe.ts";
import { serviceTasks } from "./tasks.ts";

const REMOVE_TIMEOUT_MS = 2 * 60_000;
const POLL_MS = 500;

export async function removeUnits(
  ctx: EcsContext,
  units: readonly ObservedUnit[],
  signal?: AbortSignal,
): Promise<void> {
  const byService = new Map<string, ObservedUnit[]>();
  for (const u of units) {
    const service = u.name.slice(0, u.name.lastIndexOf("/"));
    byService.set(service, [...(byService.get(service) ?? []), u]);
  }
  for (const [service, mine] of byService) await removeFromService(ctx, service, mine, signal);
}

async function removeFromService(
  ctx: EcsContext,
  service: string,
  units: readonly ObservedUnit[],
  signal?: AbortSignal,
): Promise<void> {
  const found = await describeService(ctx, service, signal);
  if (!found) return;
  const ids = new Set(units.map((u) => u.id));
  if (await endBlueGreen(ctx, found, units, signal)) return waitStopped(ctx, service, ids, signal);
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
  await waitStopped(ctx, service, ids, signal);
}

/**
 * Promotes or reverts the service's blue/green deployment when one is under way and `units` are
 * one of its slots; false when there is none. Promotion waits for the hook: ECS reaches it once
 * every green task is healthy (or rolls back, which the error then reports).
 */
async function endBlueGreen(
  ctx: EcsContext,
  s: Service,
  units: readonly ObservedUnit[],
  signal?: AbortSignal,
): Promise<boolean> {
  const sd = await blueGreenUnderWay(ctx, s, signal);
  if (!sd) return false;
  const primary = s.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition;
  const greenSlot = primary ? slotOf(await taskDefinition(ctx, primary, signal)) : undefined;
  const slots = new Set<string>(units.map((u) => u.slot));
  if (slots.size !== 1 || !greenSlot) return false;
  if (slots.has(greenSlot)) {
    await revert(ctx, sd, signal);
    return true;
  }
  // it may have ended meanwhile (rolled back): then the old units are removed as any others
  return promoteAtHook(ctx, s, sd, signal);
}

async function waitStopped(ctx: EcsContext, service: string, ids: Set<string>, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + REMOVE_TIMEOUT_MS;
  for (;;) {
    const left = (await serviceTasks(ctx, service, signal)).filter(
      (t) => ids.has(t.taskArn!) && t.lastStatus !== "STOPPED",
    );
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new DriverError(DriverReasons.ApplyFailed, `timed out waiting for tasks of ${service} to stop`, true);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
