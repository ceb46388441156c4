// The ECS contract fake's data plane: each task's essential container runs as a REAL container on the
// local Docker Engine, host networking and loopback only (the estate's rules), labelled
// `stella.fake=ecs` for cleanup. A container `healthCheck` becomes the container's Docker HEALTHCHECK,
// as the ECS container agent passes it to Docker, and its health is read back from Docker's state
// (starting -> UNKNOWN, healthy -> HEALTHY, unhealthy -> UNHEALTHY), as the agent reports it.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
// Pulling and removing are the nomad fake's.
import { docker, FAKE_LABEL, INSTANCE_LABEL } from "../nomad-fake/dataplane.ts";
import type { ContainerDefinition, HealthCheck, Task } from "./types.ts";

export { pull, stopTask } from "../nomad-fake/dataplane.ts";
export { FAKE_LABEL, INSTANCE_LABEL };

const SECOND_NS = 1e9;

/** ECS's healthCheck as Docker's: the same `CMD`/`CMD-SHELL` command, seconds as nanoseconds, ECS's defaults. */
const dockerHealthcheck = (h: HealthCheck) => ({
  Test: h.command,
  Interval: (h.interval ?? 30) * SECOND_NS,
  Timeout: (h.timeout ?? 5) * SECOND_NS,
  Retries: h.retries ?? 3,
  StartPeriod: (h.startPeriod ?? 0) * SECOND_NS,
});

/** Creates and starts the container of `task`; resolves with its id. */
export async function startContainer(task: Task, def: ContainerDefinition, instance: string): Promise<string> {
  const container = await docker.createContainer({
    name: `ecs-fake-${task.taskArn.split("/").at(-1)!.slice(0, 12)}-${def.name}`,
    Image: def.image,
    Entrypoint: def.entryPoint,
    Cmd: def.command,
    WorkingDir: def.workingDirectory,
    User: def.user,
    Env: (def.environment ?? []).map((e) => `${e.name}=${e.value}`),
    Labels: {
      ...def.dockerLabels,
      [FAKE_LABEL]: "ecs",
      [INSTANCE_LABEL]: instance,
      "com.amazonaws.ecs.task-arn": task.taskArn,
    },
    StopTimeout: 5,
    ...(def.healthCheck ? { Healthcheck: dockerHealthcheck(def.healthCheck) } : {}),
    HostConfig: { NetworkMode: "host", Init: true },
  });
  await container.start();
  return container.id;
}

/** A container's state as the ECS agent reports it: running or how it ended, and its health. */
export interface ContainerState {
  running: boolean;
  exitCode?: number;
  health: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
}

const HEALTH: Record<string, ContainerState["health"]> = { healthy: "HEALTHY", unhealthy: "UNHEALTHY" };

/** Reads the container back from the engine; a container that is gone has stopped. */
export async function containerState(id: string): Promise<ContainerState> {
  try {
    const { State } = await docker.getContainer(id).inspect();
    return {
      running: State.Running,
      exitCode: State.ExitCode,
      health: HEALTH[State.Health?.Status ?? ""] ?? "UNKNOWN",
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { running: false, health: "UNKNOWN" };
    throw err;
  }
}
