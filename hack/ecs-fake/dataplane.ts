// The ECS contract fake's data plane: each task's essential container runs as a REAL container on the
// local Docker Engine, host networking and loopback only (the estate's rules), labelled
// `stella.fake=ecs` for cleanup; container health checks run inside it with `docker exec`, as the
// ECS agent runs them. Pulling, inspecting and removing are the nomad fake's.
import { docker, FAKE_LABEL } from "../nomad-fake/dataplane.ts";
import type { ContainerDefinition, Task } from "./types.ts";

export { pull, stopTask, taskState } from "../nomad-fake/dataplane.ts";
export { FAKE_LABEL };

/** Creates and starts the container of `task`; resolves with its id. */
export async function startContainer(task: Task, def: ContainerDefinition): Promise<string> {
  const container = await docker.createContainer({
    name: `ecs-fake-${task.taskArn.split("/").at(-1)!.slice(0, 12)}-${def.name}`,
    Image: def.image,
    Entrypoint: def.entryPoint,
    Cmd: def.command,
    WorkingDir: def.workingDirectory,
    User: def.user,
    Env: (def.environment ?? []).map((e) => `${e.name}=${e.value}`),
    Labels: { ...def.dockerLabels, [FAKE_LABEL]: "ecs", "com.amazonaws.ecs.task-arn": task.taskArn },
    StopTimeout: 5,
    HostConfig: { NetworkMode: "host", Init: true },
  });
  await container.start();
  return container.id;
}

/** Runs an ECS container health check command (`CMD-SHELL cmd` or `CMD exe args...`); true on exit 0. */
export async function runHealthCheck(id: string, command: string[], timeoutMs: number): Promise<boolean> {
  const cmd = command[0] === "CMD-SHELL" ? ["sh", "-c", command.slice(1).join(" ")] : command.slice(1);
  try {
    const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    stream.resume();
    const ended = new Promise<void>((resolve) => stream.on("end", resolve).on("close", resolve));
    const timedOut = await Promise.race([
      ended.then(() => false),
      new Promise((r) => setTimeout(() => r(true), timeoutMs)),
    ]);
    if (timedOut) return false;
    return (await exec.inspect()).ExitCode === 0;
  } catch {
    return false;
  }
}
