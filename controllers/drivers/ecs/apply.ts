// Making a unit set run on ECS, idempotently, one service per component and slot: a service whose
// PRIMARY deployment runs the task definition registered from the same artifact is left alone;
// otherwise a new revision is registered and the service updated (ECS rolls it out: a rolling
// update with the deployment circuit breaker on, rollback included) or created. Secrets are read
// before anything is registered, so a missing one changes nothing. apply returns once a task of the
// new revision runs; a task that cannot pull its image fails it (ImagePullFailed), a deployment the
// circuit breaker failed fails it (ApplyFailed), and a service this apply created is deleted again.
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type Service,
} from "@aws-sdk/client-ecs";
import { artifactDigest } from "../../../crds/artifact.ts";
import type { Target } from "../../../crds/target.ts";
import {
  DriverError,
  DriverReasons,
  MANAGED_BY,
  UnitLabels,
  type ApplyContext,
  type DesiredUnit,
  type ObservedUnit,
  type UnitEnv,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { secretReference, stableJson } from "../../engine/index.ts";
import { call } from "./client.ts";
import { observeServices, taskDefinition, type EcsContext } from "./observe.ts";
import { referenceValue, renderTaskDefinition, serviceName, type TaskPlacement } from "./render.ts";

const APPLY_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = 500;

/** Where services go: the target's launch type, roles and awsvpc network. */
export interface ServicePlacement extends TaskPlacement {
  network?: NonNullable<Target["spec"]["ecs"]>["network"];
}

/** The rollout ECS runs: host ports cannot run twice on one instance, so host mode stops before it starts. */
export function deploymentConfiguration(set: UnitSet, placement: TaskPlacement): DeploymentConfiguration {
  const stopFirst = set.strategy?.type === "AllAtOnce" || placement.launchType !== "FARGATE";
  return {
    minimumHealthyPercent: stopFirst ? 0 : 100,
    maximumPercent: stopFirst ? 100 : 200,
    deploymentCircuitBreaker: { enable: true, rollback: true },
  };
}

export async function applySet(
  ctx: EcsContext,
  placement: ServicePlacement,
  set: UnitSet,
  apply: ApplyContext,
): Promise<ObservedUnit[]> {
  const secrets = await resolveSecrets(set.units, apply);
  for (const unit of set.units) await applyUnit(ctx, placement, set, unit, secrets, apply);
  const components = new Set(set.units.map((u) => u.component));
  const scope = { namespace: set.namespace, environment: set.environment, target: set.target, slot: set.slot };
  return (await observeServices(ctx, scope, apply.signal)).filter((u) => components.has(u.component));
}

async function applyUnit(
  ctx: EcsContext,
  placement: ServicePlacement,
  set: UnitSet,
  unit: DesiredUnit,
  secrets: Map<string, string>,
  apply: ApplyContext,
): Promise<void> {
  const signal = apply.signal;
  const name = serviceName(set, unit.component);
  const digest = artifactDigest(stableJson(renderTaskDefinition(set, unit, placement, referenceValue)));
  const existing = await describeService(ctx, name, signal);
  const primary = existing?.deployments?.find((d) => d.status === "PRIMARY");
  if (primary?.taskDefinition) {
    const def = await taskDefinition(ctx, primary.taskDefinition, signal);
    if (def.containerDefinitions?.[0]?.dockerLabels?.[UnitLabels.artifact] === digest) return;
  }
  const input = renderTaskDefinition(set, unit, placement, (env) => envValue(env, secrets));
  const labels = input.containerDefinitions![0].dockerLabels!;
  labels[UnitLabels.artifact] = digest;
  labels[UnitLabels.deployment] = set.deployment;
  apply.progress?.(`registering task definition ${input.family} (release ${set.release}, slot ${set.slot})`);
  const registered = await call("RegisterTaskDefinition", () =>
    ctx.ecs.send(new RegisterTaskDefinitionCommand(input), { abortSignal: signal }),
  );
  const revision = registered.taskDefinition!.taskDefinitionArn!;
  const rollout = deploymentConfiguration(set, placement);
  if (existing) {
    await call("UpdateService", () =>
      ctx.ecs.send(
        new UpdateServiceCommand({
          cluster: ctx.cluster,
          service: name,
          taskDefinition: revision,
          desiredCount: 1,
          deploymentConfiguration: rollout,
        }),
        { abortSignal: signal },
      ),
    );
  } else {
    const tags = [
      [UnitLabels.managedBy, MANAGED_BY],
      [UnitLabels.namespace, set.namespace],
      [UnitLabels.environment, set.environment],
      [UnitLabels.target, set.target],
      [UnitLabels.component, unit.component],
      [UnitLabels.slot, set.slot],
    ];
    const network =
      placement.launchType === "FARGATE" && placement.network
        ? {
            awsvpcConfiguration: {
              subnets: placement.network.subnets,
              securityGroups: placement.network.securityGroups,
              assignPublicIp: placement.network.assignPublicIp ? "ENABLED" : "DISABLED",
            },
          }
        : undefined;
    await call("CreateService", () =>
      ctx.ecs.send(
        new CreateServiceCommand({
          cluster: ctx.cluster,
          serviceName: name,
          taskDefinition: revision,
          desiredCount: 1,
          launchType: placement.launchType,
          deploymentConfiguration: rollout,
          propagateTags: "SERVICE",
          tags: tags.map(([key, value]) => ({ key, value })),
          ...(network ? { networkConfiguration: network as never } : {}),
        }),
        { abortSignal: signal },
      ),
    );
  }
  const failure = await waitRunning(ctx, name, revision, signal);
  if (!failure) return;
  if (!existing) {
    await call("DeleteService", () =>
      ctx.ecs.send(new DeleteServiceCommand({ cluster: ctx.cluster, service: name, force: true }), {
        abortSignal: signal,
      }),
    );
  }
  const pull = /CannotPullContainer/.test(failure);
  throw new DriverError(
    pull ? DriverReasons.ImagePullFailed : DriverReasons.ApplyFailed,
    `service ${name}: ${failure}`,
    false,
  );
}

export async function describeService(
  ctx: EcsContext,
  name: string,
  signal?: AbortSignal,
): Promise<Service | undefined> {
  const out = await call("DescribeServices", () =>
    ctx.ecs.send(new DescribeServicesCommand({ cluster: ctx.cluster, services: [name], include: ["TAGS"] }), {
      abortSignal: signal,
    }),
  );
  return out.services?.find((s) => s.status === "ACTIVE");
}

/** Waits until a task of `revision` runs; resolves with why it cannot (a stopped task, a failed rollout), or undefined. */
async function waitRunning(
  ctx: EcsContext,
  name: string,
  revision: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const deadline = Date.now() + APPLY_TIMEOUT_MS;
  for (;;) {
    const s = await describeService(ctx, name, signal);
    const deployment = s?.deployments?.find((d) => d.taskDefinition === revision);
    if (deployment?.rolloutState === "FAILED") return deployment.rolloutStateReason ?? "deployment failed";
    for (const desiredStatus of ["RUNNING", "STOPPED"] as const) {
      const list = await call("ListTasks", () =>
        ctx.ecs.send(new ListTasksCommand({ cluster: ctx.cluster, serviceName: name, desiredStatus }), {
          abortSignal: signal,
        }),
      );
      if (!list.taskArns?.length) continue;
      const { tasks = [] } = await call("DescribeTasks", () =>
        ctx.ecs.send(new DescribeTasksCommand({ cluster: ctx.cluster, tasks: list.taskArns!.slice(0, 100) }), {
          abortSignal: signal,
        }),
      );
      const mine = tasks.filter((t) => t.taskDefinitionArn === revision);
      if (desiredStatus === "RUNNING" && mine.some((t) => t.lastStatus === "RUNNING")) return undefined;
      const pull = mine.find((t) => /CannotPullContainer/.test(t.stoppedReason ?? ""));
      if (pull) return pull.stoppedReason;
    }
    if (Date.now() > deadline)
      throw new DriverError(
        DriverReasons.ApplyFailed,
        `timed out waiting for service ${name} to run ${revision}`,
        true,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function resolveSecrets(units: readonly DesiredUnit[], ctx: ApplyContext): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const env of units.flatMap((u) => u.env)) {
    if (env.secretKeyRef && !values.has(secretReference(env.secretKeyRef))) {
      values.set(secretReference(env.secretKeyRef), await ctx.secretValue(env.secretKeyRef));
    }
  }
  return values;
}

const envValue = (env: UnitEnv, secrets: Map<string, string>): string =>
  env.secretKeyRef ? secrets.get(secretReference(env.secretKeyRef))! : (env.value ?? "");
