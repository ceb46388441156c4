// A throwaway instance of the real registry (Debian docker-registry) for down-and-up tests: it
// serves the estate's storage read-only on a port of its own, so stopping it disturbs nobody.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** The registry binary hack/estate.sh installs. */
export const REGISTRY_BIN = "/usr/bin/docker-registry";

/** A free loopback port (free when returned; nothing holds it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A registry process that can be stopped and started again on the same port. */
export class RegistryProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Writes a read-only config over `storage` for a free port; does not start yet. */
  static async create(storage: string): Promise<RegistryProcess> {
    const dir = await mkdtemp(path.join(tmpdir(), "stella-registry-"));
    const port = await freePort();
    const config = [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${JSON.stringify(storage)} }, maintenance: { readonly: { enabled: true }, uploadpurging: { enabled: false } } }`,
      `http: { addr: "127.0.0.1:${port}" }`,
    ].join("\n");
    await writeFile(path.join(dir, "config.yml"), config);
    return new RegistryProcess(port, dir);
  }

  /** `127.0.0.1:<port>`. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until /v2/ answers 200. */
  async start(): Promise<void> {
    const child = spawn(REGISTRY_BIN, ["serve", path.join(this.dir, "config.yml")], { stdio: "ignore" });
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new Error(`registry exited with ${code}`))),
    );
    exited.catch(() => {});
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://${this.host}/v2/`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) return;
      await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
    }
    throw new Error(`registry on ${this.host} did not come up`);
  }

  /** Stops the process and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  /** Stops and removes the config directory. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
