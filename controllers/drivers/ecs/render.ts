// The ecs-task-definition artifact: one task definition family per component and slot, one
// essential container running the image by digest with its port mappings (named as Stella names
// the ports; hostPort = containerPort = the port Stella assigned, which is all awsvpc allows), env
// with PORT/PORT_<NAME>, and the container health check ECS runs from the component's probe.
// Release, slot, deployment and artifact digest ride as docker labels, so every task says which it
// runs: both slots' revisions run in the one service of the component during a blue/green deployment.
// Secret-backed env values are `$(secret:NAME/KEY)` references here; apply registers the values.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
import type { HealthCheck as EcsHealthCheck, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { durationMillis } from "../../../crds/duration.ts";
import type { HealthCheck } from "../../../crds/health-check.ts";
import {
  UnitLabels,
  type DesiredUnit,
  type RenderedArtifact,
  type UnitEnv,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { portEnv, secretReference, stableJson } from "../../engine/index.ts";

export const ECS_TASK_DEFINITION = "ecs-task-definition";
export const ECS_TASK_DEFINITION_MEDIA_TYPE = "application/json";

/** How task definitions run: the target's launch type and roles. */
export interface TaskPlacement {
  launchType: "FARGATE" | "EC2" | "EXTERNAL";
  executionRoleArn?: string;
  taskRoleArn?: string;
}

type Scope = Pick<UnitSet, "namespace" | "environment" | "target" | "slot">;

const ecsName = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 255);

/** The ECS service of one component: both slots run in it, one at a time or blue/green. */
export const serviceName = (set: Omit<Scope, "slot">, component: string): string =>
  ecsName(`stella-${set.namespace}-${set.environment}-${set.target}-${component}`);

/** The task definition family of one component in one slot. */
export const taskFamily = (set: Scope, component: string): string =>
  ecsName(`stella-${set.namespace}-${set.environment}-${set.target}-${component}-${set.slot}`);

/** The task definition of `unit`; `value` gives each env entry's value (a reference, or the Secret's value). */
export function renderTaskDefinition(
  set: UnitSet,
  unit: DesiredUnit,
  placement: TaskPlacement,
  value: (env: UnitEnv) => string,
): RegisterTaskDefinitionCommandInput {
  const fargate = placement.launchType === "FARGATE";
  const env = [
    ...portEnv(unit).map((e) => ({ name: e.slice(0, e.indexOf("=")), value: e.slice(e.indexOf("=") + 1) })),
    ...unit.env.map((e) => ({ name: e.name, value: value(e) })),
  ];
  const health = unit.healthCheck && containerHealthCheck(unit, unit.healthCheck);
  return {
    family: taskFamily(set, unit.component),
    networkMode: fargate ? "awsvpc" : "host",
    requiresCompatibilities: [placement.launchType],
    ...(fargate ? { cpu: "256", memory: "512" } : {}),
    ...(placement.executionRoleArn ? { executionRoleArn: placement.executionRoleArn } : {}),
    ...(placement.taskRoleArn ? { taskRoleArn: placement.taskRoleArn } : {}),
    containerDefinitions: [
      {
        name: unit.component,
        image: unit.imageRef,
        essential: true,
        ...(fargate ? {} : { memoryReservation: 64 }),
        ...(unit.command ? { entryPoint: unit.command } : {}),
        ...(unit.args ? { command: unit.args } : {}),
        ...(unit.workingDir ? { workingDirectory: unit.workingDir } : {}),
        ...(unit.user ? { user: unit.user } : {}),
        environment: env,
        portMappings: unit.ports.map((p) => ({
          name: p.name,
          containerPort: p.hostPort,
          hostPort: p.hostPort,
          protocol: p.protocol === "UDP" ? "udp" : "tcp",
        })),
        ...(health ? { healthCheck: health } : {}),
        dockerLabels: {
          [UnitLabels.release]: set.release,
          [UnitLabels.component]: unit.component,
          [UnitLabels.slot]: set.slot,
        },
      },
    ],
  };
}

/**
 * The container health check ECS runs in the task, from the component's probe: an exec probe's
 * command as `CMD` (as given), an http or tcp probe as a `CMD-SHELL` busybox wget or nc against
 * the unit's port. ECS takes whole seconds within its limits: interval 5-300, timeout 2-60, retries
 * 1-10, startPeriod 0-300. ECS reports the verdict as the task's healthStatus.
 */
export function containerHealthCheck(unit: DesiredUnit, check: HealthCheck): EcsHealthCheck | undefined {
  const command = healthCommand(unit, check);
  if (!command) return undefined;
  const secs = (d: string | undefined, fallback: number, min: number, max: number) =>
    Math.min(max, Math.max(min, Math.round(((d && durationMillis(d)) || fallback * 1000) / 1000)));
  return {
    command,
    interval: secs(check.interval, 10, 5, 300),
    timeout: secs(check.timeout, 2, 2, 60),
    retries: Math.min(10, Math.max(1, check.unhealthyThreshold ?? 3)),
    startPeriod: secs(check.startPeriod, 0, 0, 300),
  };
}

/** The health check command of `check` in ECS's form, or undefined when its port is not the unit's. */
export function healthCommand(unit: Pick<DesiredUnit, "ports">, check: HealthCheck): string[] | undefined {
  if (check.exec) return ["CMD", ...check.exec.command];
  const probe = check.http ?? check.tcp;
  const port = probe && unit.ports.find((p) => p.name === probe.port || p.containerPort === probe.port);
  if (!port) return undefined;
  const shell = check.http
    ? `wget -q -O /dev/null http://127.0.0.1:${port.hostPort}${check.http.path ?? "/"} || exit 1`
    : `nc -z 127.0.0.1 ${port.hostPort} || exit 1`;
  return ["CMD-SHELL", shell];
}

/** An env entry's value as the artifact shows it. */
export const referenceValue = (env: UnitEnv): string =>
  env.secretKeyRef ? secretReference(env.secretKeyRef) : (env.value ?? "");

/** The artifacts of `set`: one task definition per component, with Secret references, without the deployment label. */
export function renderArtifacts(set: UnitSet, placement: TaskPlacement): RenderedArtifact[] {
  return [...set.units]
    .sort((a, b) => a.component.localeCompare(b.component))
    .map((unit) => ({
      type: ECS_TASK_DEFINITION,
      component: unit.component,
      mediaType: ECS_TASK_DEFINITION_MEDIA_TYPE,
      content: stableJson(renderTaskDefinition(set, unit, placement, referenceValue)),
    }));
}
