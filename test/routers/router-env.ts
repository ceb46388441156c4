// Router servers for the tests: a haproxy or nginx process of the test's own, with a temporary
// configuration, listening on free 127.0.0.1 ports. When the Debian package is not installed
// (hack/services.sh up installs both), suites are skipped locally and fail under CI=true.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Why suites needing `binary` must be skipped (undefined: run them). Under CI=true this is never set. */
export async function routerSkipReason(binary: "haproxy" | "nginx"): Promise<string | undefined> {
  if (process.env.CI === "true") return undefined; // run, and fail loudly
  try {
    await run(binary, ["-v"]);
    return undefined;
  } catch (err) {
    return `${binary} is not installed (${(err as Error).message}); run hack/services.sh up`;
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A temporary directory removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A server process this test started; stop() ends it (by its own pid) and waits for it. */
export interface ServerProcess {
  stop(): Promise<void>;
}

/** Starts `binary args` in the foreground and waits until `ready()` resolves true (30 s at most). */
export async function startServer(binary: string, args: string[], ready: () => Promise<boolean>) {
  const child: ChildProcess = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${binary} exited ${child.exitCode}: ${stderr}`);
    if (await ready().catch(() => false)) {
      return {
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      } satisfies ServerProcess;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGTERM");
  throw new Error(`${binary} did not become ready in 30 s: ${stderr}`);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
