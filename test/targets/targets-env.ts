// An apiserver (test/env.ts) with the target and environment controllers running against it as
// the controller role, a probe interval of a second, and every controller log line captured.
// Only these two controllers run, so Deployment objects a test writes keep the status it gives them.
import { randomBytes } from "node:crypto";
import { addEnvironmentController } from "../../controllers/environment/index.ts";
import { Manager, type Logger } from "../../controllers/runtime/index.ts";
import { addTargetController } from "../../controllers/target/index.ts";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import type { Condition } from "../../crds/meta.ts";
import { targetKind, type Target, type TargetSpec } from "../../crds/target.ts";
import { Client, loadClientConfig, type ResourceClient } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";

/** The probe interval the tests run with. */
export const PROBE_INTERVAL_MS = 1000;

/** A running apiserver with the target and environment controllers. */
export interface TargetsEnv {
  env: TestEnv;
  /** An admin client for the test's own reads and writes. */
  admin: Client;
  targets: ResourceClient<Target>;
  environments: ResourceClient<Environment>;
  deployments: ResourceClient<Deployment>;
  /** A namespace made for this run; container labels carry it, so it is unique across runs. */
  namespace: string;
  /** Every line the controllers logged, as JSON. */
  logs: string[];
  stop(): Promise<void>;
}

/** Starts an apiserver, a fresh namespace and the two controllers (controller-role token). */
export async function startTargetsEnv(): Promise<TargetsEnv> {
  const env = await startEnv({ listen: true });
  const namespace = `tgt-${randomBytes(4).toString("hex")}`;
  await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  const config = await loadClientConfig({ path: env.server.kubeconfigPath });
  const admin = Client.fromConfig({ ...config, namespace });
  const controllerClient = Client.fromConfig({
    ...config,
    token: await env.token("stella-controllers", "controller", "*"),
  });
  const logs: string[] = [];
  const log: Logger = {
    info: (msg, fields) => logs.push(JSON.stringify({ level: "info", msg, ...fields })),
    error: (msg, fields) => logs.push(JSON.stringify({ level: "error", msg, ...fields })),
  };
  const manager = new Manager({ client: controllerClient, log });
  const { pool } = addTargetController(manager, { probeInterval: PROBE_INTERVAL_MS, log });
  addEnvironmentController(manager, { log });
  const done = manager.start();
  return {
    env,
    admin,
    targets: admin.resource<Target>(targetKind),
    environments: admin.resource<Environment>(environmentKind),
    deployments: admin.resource<Deployment>(deploymentKind),
    namespace,
    logs,
    async stop() {
      await manager.stop();
      await done.catch(() => {});
      await pool.close();
      controllerClient.close();
      admin.close();
      await env.stop();
    },
  };
}

/** A Target in `namespace` with `labels`. */
export function target(namespace: string, name: string, spec: TargetSpec, labels: Record<string, string> = {}): Target {
  return { apiVersion: "release.stella.io/v1alpha1", kind: "Target", metadata: { name, namespace, labels }, spec };
}

/** A docker target spec on `socket`. */
export const dockerOn = (socket: string): TargetSpec => ({ driver: "docker", docker: { socket } });

/** An ssh target spec (no ssh driver exists in this build). */
export const sshSpec: TargetSpec = {
  driver: "ssh",
  ssh: {
    host: "127.0.0.2",
    port: 2222,
    hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFEzKFmltMMvQwM6CCyYfaA0PpnQdkwFmVAk7FO/AOg3",
    privateKeySecretRef: { name: "deploy-ssh-key", key: "id_ed25519" },
  },
};

/** The Ready condition of an object with conditions. */
export const readyOf = (o: { status?: { conditions?: Condition[] } }): Condition | undefined =>
  o.status?.conditions?.find((c) => c.type === "Ready");

/**
 * Polls `read` until `done` holds; fails after `limitMs` (a bound against hanging, not a
 * performance threshold) naming what it waited for and what it last saw.
 */
export async function waitFor<T extends { status?: unknown }>(
  read: () => Promise<T>,
  what: string,
  done: (o: T) => boolean,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const o = await read();
    if (done(o)) return o;
    if (Date.now() > deadline) throw new Error(`still not ${what}; status ${JSON.stringify(o.status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
