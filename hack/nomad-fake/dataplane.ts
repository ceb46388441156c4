// The Nomad contract fake's data plane: each allocation's task runs as a REAL container on the local
// Docker Engine, as Nomad's docker task driver would run it — host networking (the estate's rule:
// loopback only), the job's env plus NOMAD_* variables, labelled `stella.fake=nomad` and with the
// running fake's instance (INSTANCE_LABEL), so that a test removes its own fake's containers and
// never those of a fake another suite runs beside it.
// Docker task driver: https://developer.hashicorp.com/nomad/docs/drivers/docker
import { connect } from "node:net";
import Docker from "dockerode";
import type { Allocation, ServiceCheck, Task } from "./types.ts";

/** The label every container of the fake carries; its value names which fake started it. */
export const FAKE_LABEL = "stella.fake";

/** The label naming which running fake started a container, so a test removes only its own fake's. */
export const INSTANCE_LABEL = "stella.fake.instance";

export const docker = new Docker({ socketPath: process.env.DOCKER_SOCKET ?? "/var/run/docker.sock" });

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number }).statusCode;

/** Pulls `image` unless the engine has it; throws with the engine's message when it cannot. */
export async function pull(image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed!.error));
      else resolve();
    });
  });
}

/** Creates and starts the container of `alloc`'s task for the fake `instance`; resolves with its id. */
export async function startTask(alloc: Allocation, task: Task, instance: string): Promise<string> {
  const env = {
    ...task.Env,
    NOMAD_ALLOC_ID: alloc.ID,
    NOMAD_JOB_NAME: alloc.JobID,
    NOMAD_GROUP_NAME: alloc.TaskGroup,
    NOMAD_TASK_NAME: task.Name,
    NOMAD_NAMESPACE: alloc.Namespace,
  };
  const container = await docker.createContainer({
    name: `nomad-fake-${alloc.ID.slice(0, 8)}-${task.Name}`,
    Image: task.Config.image,
    Entrypoint: task.Config.entrypoint,
    Cmd: task.Config.args,
    WorkingDir: task.Config.work_dir,
    User: task.User,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      [FAKE_LABEL]: "nomad",
      [INSTANCE_LABEL]: instance,
      "nomad.alloc_id": alloc.ID,
      "nomad.job_id": alloc.JobID,
      "nomad.namespace": alloc.Namespace,
    },
    StopTimeout: 5,
    HostConfig: { NetworkMode: "host", Init: true },
  });
  await container.start();
  return container.id;
}

/** Whether the container runs, and if not, how it ended. */
export async function taskState(id: string): Promise<{ running: boolean; exitCode?: number; error?: string }> {
  try {
    const info = await docker.getContainer(id).inspect();
    return { running: info.State.Running, exitCode: info.State.ExitCode, error: info.State.Error || undefined };
  } catch (err) {
    if (statusOf(err) === 404) return { running: false, error: "container is gone" };
    throw err;
  }
}

/** Stops and removes a container; gone already is fine. */
export async function stopTask(id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true });
  } catch (err) {
    if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
  }
}

/** Runs one service check against 127.0.0.1 (the only address the estate's tasks bind). */
export async function runCheck(check: ServiceCheck, ports: Map<string, number>): Promise<boolean> {
  const port = ports.get(check.PortLabel ?? "");
  if (!port) return false;
  const timeout = Math.max(200, Math.min((check.Timeout ?? 2e9) / 1e6, 5000));
  if (check.Type === "tcp") {
    return new Promise((resolve) => {
      const socket = connect({ host: "127.0.0.1", port, timeout });
      const end = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket
        .once("connect", () => end(true))
        .once("error", () => end(false))
        .once("timeout", () => end(false));
    });
  }
  try {
    const res = await fetch(`http://127.0.0.1:${port}${check.Path ?? "/"}`, { signal: AbortSignal.timeout(timeout) });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}
