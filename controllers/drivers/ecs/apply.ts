// Making a unit set run on ECS, idempotently, one service per component (blue-green.ts for how the
// slots share it): a service whose PRIMARY deployment runs the task definition registered from the
// same artifact is left alone; otherwise a new revision is registered and the service updated or
// created. In the slot the service runs now, the update is an ECS rolling update with the
// deployment circuit breaker on (rollback included); in the other slot it is an ECS blue/green
// deployment that holds the new revision beside the old one. A component whose blue/green
// deployment is still under way is first promoted (a set for the old revision's slot) or reverted
// (for the new one's) and applied again later. Secrets are read before anything is registered, so
// a missing one changes nothing. Every service is changed first, then apply waits for them together
// (wait.ts) and returns once a task of each new revision runs; a task that cannot pull its image
// fails it (ImagePullFailed), a deployment the circuit breaker failed fails it (ApplyFailed), and
// what this apply started is taken back (a created service deleted, a blue/green one reverted).
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
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
import { blueGreenConfiguration, blueGreenUnderWay, promote, revert } from "./blue-green.ts";
import { call } from "./client.ts";
import { waitRunning, type Pending } from "./wait.ts";
import { labelOf, observeServices, slotOf, taskDefinition, type EcsContext } from "./observe.ts";
import { referenceValue, renderTaskDefinition, serviceName, type TaskPlacement } from "./render.ts";

/** Where services go: the target's launch type, roles and awsvpc network. */
export interface ServicePlacement extends TaskPlacement {
  network?: NonNullable<Target["spec"]["ecs"]>["network"];
}

/**
 * The rolling update ECS runs in the slot the service runs now: start the new task before stopping
 * the old (minimumHealthyPercent 100, maximumPercent 200), or stop first for AllAtOnce, for Rolling
 * with maxUnavailable, and in host mode, where a host port cannot be held twice on one instance.
 * The circuit breaker rolls a revision whose tasks keep failing back to the last completed one.
 */
export function deploymentConfiguration(set: UnitSet, placement: TaskPlacement): DeploymentConfiguration {
  const stopFirst =
    set.strategy?.type === "AllAtOnce" ||
    (set.strategy?.maxUnavailable ?? 0) >= 1 ||
    placement.launchType !== "FARGATE";
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
  // Every component's service as it stands, 10 a call (each unit has its own service).
  const names = set.units.map((u) => serviceName(set, u.component));
  const services = await describeAnyServices(ctx, names, apply.signal);
  const pending: Pending[] = [];
  for (const unit of set.units) {
    const found = services.get(serviceName(set, unit.component));
    const p = await applyUnit(ctx, placement, set, unit, found, secrets, apply);
    if (p) pending.push(p);
  }
  // Every service rolls out at once; one DescribeServices per 10 of them a poll (ECS throttles).
  const failures = await waitRunning(ctx, pending, apply.signal);
  for (const p of failures.keys()) {
    if (p.blueGreen) {
      const s = await describeService(ctx, p.name, apply.signal);
      const sd = s && (await blueGreenUnderWay(ctx, s, apply.signal));
      if (sd) await revert(ctx, sd, apply.signal);
    }
    if (!p.created) continue;
    await call("DeleteService", () =>
      ctx.ecs.send(new DeleteServiceCommand({ cluster: ctx.cluster, service: p.name, force: true }), {
        abortSignal: apply.signal,
      }),
    );
  }
  const [first] = failures;
  if (first) {
    const [p, failure] = first;
    const pull = /CannotPullContainer/.test(failure);
    throw new DriverError(
      pull ? DriverReasons.ImagePullFailed : DriverReasons.ApplyFailed,
      `service ${p.name}: ${failure}`,
      false,
    );
  }
  const components = new Set(set.units.map((u) => u.component));
  const scope = { namespace: set.namespace, environment: set.environment, target: set.target, slot: set.slot };
  // During an in-place rolling update the slot also holds the tasks of the revision being replaced.
  return (await observeServices(ctx, scope, apply.signal)).filter(
    (u) => components.has(u.component) && u.release === set.release,
  );
}

async function applyUnit(
  ctx: EcsContext,
  placement: ServicePlacement,
  set: UnitSet,
  unit: DesiredUnit,
  found: Service | undefined,
  secrets: Map<string, string>,
  apply: ApplyContext,
): Promise<Pending | undefined> {
  const signal = apply.signal;
  const name = serviceName(set, unit.component);
  const digest = artifactDigest(stableJson(renderTaskDefinition(set, unit, placement, referenceValue)));
  if (found?.status === "DRAINING") {
    // Deleted a moment ago (a scale-down or rollback): ECS refuses a new service of its name until
    // it is INACTIVE, so this apply is tried again later.
    throw new DriverError(DriverReasons.ApplyFailed, `service ${name} is still draining; applying again later`, true);
  }
  const existing = found?.status === "ACTIVE" ? found : undefined;
  const primary = existing?.deployments?.find((d) => d.status === "PRIMARY");
  const running = primary?.taskDefinition ? await taskDefinition(ctx, primary.taskDefinition, signal) : undefined;
  if (labelOf(running, UnitLabels.artifact) === digest) return undefined;
  const underWay = existing && (await blueGreenUnderWay(ctx, existing, signal));
  if (underWay) {
    // The service holds two revisions already: the new one (PRIMARY) goes on when this set is for
    // the old one's slot, and goes back when it is for its own; then this set is applied again.
    const ahead = running && slotOf(running) !== set.slot && (await promote(ctx, underWay, signal));
    if (!ahead && running && slotOf(running) === set.slot) await revert(ctx, underWay, signal);
    throw new DriverError(
      DriverReasons.ApplyFailed,
      `service ${name} is in a blue/green deployment (${underWay.status} at ${underWay.lifecycleStage}); applying again once it has finished`,
      true,
    );
  }
  const blueGreen = !!running && !!slotOf(running) && slotOf(running) !== set.slot;
  const input = renderTaskDefinition(set, unit, placement, (env) => envValue(env, secrets));
  const labels = input.containerDefinitions![0].dockerLabels!;
  labels[UnitLabels.artifact] = digest;
  labels[UnitLabels.deployment] = set.deployment;
  const how = blueGreen ? "blue/green beside the running revision" : existing ? "rolling update" : "new service";
  apply.progress?.(`registering task definition ${input.family} (release ${set.release}, slot ${set.slot}; ${how})`);
  const registered = await call("RegisterTaskDefinition", () =>
    ctx.ecs.send(new RegisterTaskDefinitionCommand(input), { abortSignal: signal }),
  );
  const revision = registered.taskDefinition!.taskDefinitionArn!;
  ctx.defs.set(revision, registered.taskDefinition!); // as DescribeTaskDefinition would give it
  const rollout = blueGreen ? blueGreenConfiguration() : deploymentConfiguration(set, placement);
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
  return { name, revision, created: !existing, blueGreen };
}

/** Service `name` if it is ACTIVE. */
export async function describeService(
  ctx: EcsContext,
  name: string,
  signal?: AbortSignal,
): Promise<Service | undefined> {
  const found = (await describeAnyServices(ctx, [name], signal)).get(name);
  return found?.status === "ACTIVE" ? found : undefined;
}

/**
 * Services by name whatever their status (ACTIVE, DRAINING, INACTIVE), those ECS still knows, 10 a
 * call; of a name ECS knows twice (an ACTIVE service and an INACTIVE one before it), the ACTIVE one.
 */
async function describeAnyServices(
  ctx: EcsContext,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  for (let i = 0; i < names.length; i += 10) {
    const out = await call("DescribeServices", () =>
      ctx.ecs.send(
        new DescribeServicesCommand({ cluster: ctx.cluster, services: names.slice(i, i + 10), include: ["TAGS"] }),
        { abortSignal: signal },
      ),
    );
    for (const s of out.services ?? []) {
      const name = s.serviceName!;
      if (!found.has(name) || s.status === "ACTIVE") found.set(name, s);
    }
  }
  return found;
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
