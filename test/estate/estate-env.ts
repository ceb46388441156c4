// The local estate as the estate suites see it (hack/estate.sh up starts it): registry addresses,
// the basic-auth credentials, and the docker CLI. When the estate is not running, suites are
// skipped locally and fail under CI=true.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** The open registry (`hack/estate.sh`: 127.0.0.1:5000). */
export const REGISTRY = process.env.STELLA_TEST_REGISTRY ?? "127.0.0.1:5000";
/** The basic-auth registry over the same storage (127.0.0.1:5001). */
export const AUTH_REGISTRY = process.env.STELLA_TEST_AUTH_REGISTRY ?? "127.0.0.1:5001";
/** The credentials the auth registry accepts. */
export const AUTH_CREDENTIALS = { username: "stella", password: "stella-test" };
/** Where hack/estate.sh keeps its state; the registry storage is under registry/data. */
export const ESTATE_DIR = process.env.STELLA_ESTATE_DIR ?? "/var/lib/stella-estate";

const run = promisify(execFile);

/** Runs the docker CLI; resolves with its trimmed stdout. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { maxBuffer: 16 << 20 });
  return stdout.trim();
}

/** Why estate suites must be skipped (undefined: run them). Under CI=true this is never set. */
export async function estateSkipReason(): Promise<string | undefined> {
  if (process.env.CI === "true") return undefined; // run, and fail loudly
  try {
    const res = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) return `registry ${REGISTRY} answered ${res.status}; run hack/estate.sh up`;
    await docker("info", "--format", "{{.ServerVersion}}");
    return undefined;
  } catch (err) {
    return `local estate not running (${(err as Error).message}); run hack/estate.sh up`;
  }
}

/** What `docker rm -f` says of a container that is gone, or that another cleanup is removing now. */
const ALREADY_GOING = /No such container|is already in progress/;

/**
 * Removes containers with `docker rm -f`. One already gone, or being removed by the fake or suite that
 * owns it, is not an error; any other daemon answer is.
 */
export async function removeContainerIds(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    await docker("rm", "-f", ...ids);
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? "");
    const complaints = stderr.split("\n").filter((line) => line.startsWith("Error"));
    if (complaints.length === 0 || complaints.some((line) => !ALREADY_GOING.test(line))) throw err;
  }
}
