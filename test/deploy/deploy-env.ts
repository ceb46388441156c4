// Deployments end to end on the local estate: an apiserver (test/env.ts), the controllers of
// controllers/index.ts running against it with a controller-role token (in this process, or in a
// child process that a test may kill), a fresh namespace whose name every container carries in its
// labels, and builders for the objects. Host ports come from 24000-24999 so they cannot meet other
// suites' units.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { startControllers, type RunningControllers } from "../../controllers/index.ts";
import type { Logger } from "../../controllers/runtime/index.ts";
import { deploymentKind, type Deployment, type DeploymentSpec } from "../../crds/deployment.ts";
import { environmentKind, type Environment, type EnvironmentSpec } from "../../crds/environment.ts";
import { releaseKind, type Release, type ReleaseComponent } from "../../crds/release.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client, loadClientConfig, type ResourceClient } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { REGISTRY, removeContainerIds } from "../estate/estate-env.ts";

/** Host ports the deployment tests assign. */
export const TEST_PORTS = { from: 24000, to: 24999 };

const run = promisify(execFile);

/** A running apiserver with controllers and a namespace of its own. */
export interface DeployEnv {
  env: TestEnv;
  admin: Client;
  namespace: string;
  deployments: ResourceClient<Deployment>;
  releases: ResourceClient<Release>;
  environments: ResourceClient<Environment>;
  targets: ResourceClient<Target>;
  logs: string[];
  /** The controllers in this process (absent with `controllers: "none"`). */
  controllers?: RunningControllers;
  /** A controller-role token for a child process. */
  controllerToken: string;
  /** The host ports the controllers assign. */
  ports: { from: number; to: number };
  stop(): Promise<void>;
}

/**
 * Starts the apiserver (serving the dashboard too with `dashboard`), a namespace, and (unless
 * `controllers` is "none") the controllers.
 */
export async function startDeployEnv(
  opts: { controllers?: "in-process" | "none"; ports?: { from: number; to: number }; dashboard?: boolean } = {},
): Promise<DeployEnv> {
  const ports = opts.ports ?? TEST_PORTS;
  const env = await startEnv({ listen: true, dashboard: opts.dashboard });
  const namespace = `dep-${randomBytes(4).toString("hex")}`;
  await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  const config = await loadClientConfig({ path: env.server.kubeconfigPath });
  const admin = Client.fromConfig({ ...config, namespace });
  const controllerToken = await env.token("stella-controllers", "controller", "*");
  const controllerClient = Client.fromConfig({ ...config, token: controllerToken });
  const logs: string[] = [];
  const log: Logger = {
    info: (msg, fields) => logs.push(JSON.stringify({ level: "info", msg, ...fields })),
    error: (msg, fields) => logs.push(JSON.stringify({ level: "error", msg, ...fields })),
  };
  const controllers =
    opts.controllers === "none"
      ? undefined
      : await startControllers({
          client: controllerClient,
          log,
          release: { retry: { transient: { initialMs: 100, maxMs: 500 }, slow: { initialMs: 200, maxMs: 1000 } } },
          target: { probeInterval: 1000 },
          deployment: { ports },
        });
  return {
    env,
    admin,
    namespace,
    deployments: admin.resource<Deployment>(deploymentKind),
    releases: admin.resource<Release>(releaseKind),
    environments: admin.resource<Environment>(environmentKind),
    targets: admin.resource<Target>(targetKind),
    logs,
    controllers,
    controllerToken,
    ports,
    async stop() {
      await controllers?.stop();
      controllerClient.close();
      admin.close();
      await env.stop();
      await removeContainers(namespace);
    },
  };
}

/** Removes every container of a test namespace. */
export async function removeContainers(namespace: string): Promise<void> {
  const ids = (await docker("ps", "-aq", "--filter", `label=stella.io/namespace=${namespace}`))
    .split("\n")
    .filter(Boolean);
  await removeContainerIds(ids);
}

/** The docker CLI's trimmed stdout. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { maxBuffer: 16 << 20 });
  return stdout.trim();
}

/** A container of a test namespace as `docker ps` shows it. */
export interface ContainerRow {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
}

/** The containers (running or not) of a namespace, optionally of one release. */
export async function containers(namespace: string, filters: Record<string, string> = {}): Promise<ContainerRow[]> {
  const args = [
    "ps",
    "-a",
    "--no-trunc",
    "--format",
    "{{json .}}",
    "--filter",
    `label=stella.io/namespace=${namespace}`,
  ];
  for (const [k, v] of Object.entries(filters)) args.push("--filter", `label=stella.io/${k}=${v}`);
  const out = await docker(...args);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { ID: string; Names: string; State: string; Labels: string })
    .map((c) => ({
      id: c.ID,
      name: c.Names,
      state: c.State,
      labels: Object.fromEntries(
        c.Labels.split(",")
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      ),
    }));
}

/**
 * The web component of the estate images at `tag`: busybox httpd on $PORT, /healthz checked every 500 ms after a 3 s
 * start period (a loaded CI machine may take a moment to start httpd).
 */
export function web(tag: string, check: Partial<NonNullable<ReleaseComponent["healthCheck"]>> = {}): ReleaseComponent {
  return {
    name: "web",
    image: `${REGISTRY}/shop/web:${tag}`,
    command: ["sh", "-c", "exec httpd -f -p 127.0.0.1:$PORT -h /www"],
    ports: [{ name: "http", containerPort: 8080 }],
    healthCheck: {
      http: { path: "/healthz", port: "http" },
      interval: "500ms",
      timeout: "500ms",
      startPeriod: "3s",
      healthyThreshold: 1,
      unhealthyThreshold: 2,
      ...check,
    },
  };
}

/** The worker component: a loop without a health check. */
export const worker = (): ReleaseComponent => ({ name: "worker", image: `${REGISTRY}/shop/worker:1.4.0` });

/** A Release of `components`. */
export const release = (namespace: string, name: string, components: ReleaseComponent[]): Release => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Release",
  metadata: { name, namespace },
  spec: { version: name, components },
});

/** An Environment selecting targets labelled `env=<name>`. */
export const environment = (namespace: string, name: string, spec: Partial<EnvironmentSpec> = {}): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace },
  spec: { targetSelector: { matchLabels: { env: name } }, ...spec },
});

/** A docker Target on the local engine (or `socket`), labelled for environment `env`. */
export const dockerTarget = (
  namespace: string,
  name: string,
  env: string,
  socket = "/var/run/docker.sock",
): Target => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: { name, namespace, labels: { env } },
  spec: { driver: "docker", docker: { socket } },
});

/** A compose Target on the local engine, project `<namespace>-<name>`. */
export const composeTarget = (namespace: string, name: string, env: string): Target => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: { name, namespace, labels: { env } },
  spec: { driver: "compose", compose: { project: `${namespace}-${name}` } },
});

/** A Deployment. */
export const deployment = (namespace: string, name: string, spec: DeploymentSpec): Deployment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name, namespace },
  spec,
});

/** Polls `read` until `ok` holds; fails with the last value after `ms`. */
export async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, null, 1)?.slice(0, 4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until a deployment reaches one of `phases`. */
export const waitPhase = (de: DeployEnv, name: string, phases: string[], ms?: number): Promise<Deployment> =>
  waitFor(
    `deployment ${name} to reach ${phases.join("|")}`,
    () => de.deployments.get(name),
    (d) => phases.includes(d.status?.phase ?? ""),
    ms,
  );

/** GET of a unit's page on the host; resolves with the body, or undefined when nothing answers. */
export async function page(port: number, path = "/version"): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? (await res.text()).trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The host port of a container's first port, from its stella.io/ports label (`http=24012`). */
export const hostPort = (c: ContainerRow): number => Number(/=(\d+)/.exec(c.labels["stella.io/ports"] ?? "")?.[1]);

/** The controllers of controllers/index.ts in a child process (for kill tests). */
export function controllerProcess(de: DeployEnv): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./controller-process.ts", import.meta.url).pathname],
    {
      env: {
        ...process.env,
        STELLA_KUBECONFIG: de.env.server.kubeconfigPath,
        STELLA_TOKEN: de.controllerToken,
        STELLA_PORTS: `${de.ports.from}-${de.ports.to}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stderr?.on("data", (b: Buffer) => de.logs.push(...b.toString().split("\n").filter(Boolean)));
  return child;
}
