// Pulling an image by digest, with the credentials the ApplyContext holds for its registry. An
// image the engine already has under that exact `repository@digest` is not pulled again.
import type Docker from "dockerode";
import { DriverError, DriverReasons, type ApplyContext } from "../../sdk/plugins/driver.ts";
import { engineMessage, engineStatus, isConnectionError } from "./errors.ts";

/** The registry host of an image reference (`127.0.0.1:5001`); docker.io for Docker Hub names. */
export function registryHost(ref: string): string {
  const first = ref.split("/")[0];
  const hasHost = ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasHost ? first : "docker.io";
}

/** Makes sure the engine has `ref`; throws DriverError(ImagePullFailed) when it cannot pull it. */
export async function ensureImage(docker: Docker, ref: string, ctx: ApplyContext): Promise<void> {
  if (await hasImage(docker, ref)) return;
  const registry = registryHost(ref);
  const credential = await ctx.pullCredential(registry);
  const auth = credential && { username: credential.username, password: credential.password, serveraddress: registry };
  ctx.progress?.(`pulling ${ref}`);
  let events: PullEvent[];
  try {
    const stream = await docker.createImage(auth, { fromImage: ref, abortSignal: ctx.signal });
    events = await new Promise<PullEvent[]>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: PullEvent[]) => (err ? reject(err) : resolve(out)),
        (event: PullEvent) => report(ref, event, ctx),
      ),
    );
  } catch (err) {
    throw pullError(ref, err, credential !== undefined);
  }
  const failed = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
  if (failed) {
    throw new DriverError(
      DriverReasons.ImagePullFailed,
      `pull ${ref}: ${failed.errorDetail?.message ?? failed.error}`,
      false,
    );
  }
  ctx.progress?.(`pulled ${ref}`);
}

interface PullEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

async function hasImage(docker: Docker, ref: string): Promise<boolean> {
  try {
    const image = await docker.getImage(ref).inspect();
    return (image.RepoDigests ?? []).includes(ref);
  } catch (err) {
    if (engineStatus(err) === 404) return false;
    if (isConnectionError(err)) throw pullError(ref, err, false);
    return false;
  }
}

/** Reports the steps of a pull, not every byte of its progress bars. */
function report(ref: string, event: PullEvent, ctx: ApplyContext): void {
  if (!ctx.progress || !event.status || event.progressDetail?.current !== undefined) return;
  ctx.progress(`pulling ${ref}: ${event.id ? `${event.id}: ` : ""}${event.status}`);
}

function pullError(ref: string, err: unknown, withCredentials: boolean): DriverError {
  if (isConnectionError(err))
    return new DriverError(
      DriverReasons.Unreachable,
      `pull ${ref}: docker engine unreachable: ${engineMessage(err)}`,
      true,
      { cause: err },
    );
  const status = engineStatus(err);
  // 404: the registry has no such manifest, which waiting does not heal. Docker 20.10 answers 500
  // for both refused credentials and an unreachable registry, so those count as transient.
  const transient = status !== 404 && status !== 400;
  const hint = withCredentials ? "" : " (no credentials for this registry)";
  return new DriverError(DriverReasons.ImagePullFailed, `pull ${ref}${hint}: ${engineMessage(err)}`, transient, {
    cause: err,
  });
}
