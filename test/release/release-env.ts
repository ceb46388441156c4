// An apiserver (test/env.ts) with the controllers of controllers/index.ts running against it as
// the controller role, fast retry schedules, and every controller log line captured, so release
// tests can assert on status and on what was logged.
import { startControllers, type RunningControllers } from "../../controllers/index.ts";
import type { RetryOptions } from "../../controllers/release/index.ts";
import type { Logger } from "../../controllers/runtime/index.ts";
import type { Condition } from "../../crds/meta.ts";
import { releaseKind, type Release, type ReleaseComponent, type ReleaseSpec } from "../../crds/release.ts";
import { secretKind, type Secret } from "../../crds/secret.ts";
import { Client, loadClientConfig, type ResourceClient } from "../../sdk/index.ts";
import { startEnv, type TestEnv } from "../env.ts";

/** A running apiserver with controllers. */
export interface ReleaseEnv {
  env: TestEnv;
  /** An admin client for the test's own reads and writes. */
  admin: Client;
  releases: ResourceClient<Release>;
  secrets: ResourceClient<Secret>;
  controllers: RunningControllers;
  /** Every line the controllers logged, as JSON. */
  logs: string[];
  stop(): Promise<void>;
}

/** Retry schedules short enough for tests. */
export const FAST_RETRY: RetryOptions = {
  transient: { initialMs: 100, maxMs: 500 },
  slow: { initialMs: 200, maxMs: 1000 },
};

/** Starts an apiserver and the controllers, the latter with a controller-role token. */
export async function startReleaseEnv(retry: RetryOptions = FAST_RETRY): Promise<ReleaseEnv> {
  const env = await startEnv({ listen: true });
  const config = await loadClientConfig({ path: env.server.kubeconfigPath });
  const admin = Client.fromConfig(config);
  const controllerClient = Client.fromConfig({
    ...config,
    token: await env.token("stella-controllers", "controller", "*"),
  });
  const logs: string[] = [];
  const log: Logger = {
    info: (msg, fields) => logs.push(JSON.stringify({ level: "info", msg, ...fields })),
    error: (msg, fields) => logs.push(JSON.stringify({ level: "error", msg, ...fields })),
  };
  const controllers = await startControllers({ client: controllerClient, log, release: { retry } });
  return {
    env,
    admin,
    releases: admin.resource<Release>(releaseKind),
    secrets: admin.resource<Secret>(secretKind),
    controllers,
    logs,
    async stop() {
      await controllers.stop();
      controllerClient.close();
      admin.close();
      await env.stop();
    },
  };
}

/** A Release in namespace default. */
export function release(
  name: string,
  components: ReleaseComponent[] | Record<string, string>,
  spec: Partial<ReleaseSpec> = {},
): Release {
  const list = Array.isArray(components)
    ? components
    : Object.entries(components).map(([n, image]) => ({ name: n, image }));
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name, namespace: "default" },
    spec: { version: "1.0.0", components: list, ...spec },
  };
}

/** The condition of `type` on a release. */
export function condition(rel: Release, type: string): Condition | undefined {
  return rel.status?.conditions?.find((c) => c.type === type);
}

/** Where and how long to wait. */
export interface WaitOptions {
  namespace?: string;
  /** A bound against hanging, not a performance threshold; default 30 s. */
  limitMs?: number;
}

/** Polls the release until `done` holds; fails after the limit naming what it waited for and what it saw. */
export async function waitForRelease(
  releases: ResourceClient<Release>,
  name: string,
  what: string,
  done: (r: Release) => boolean,
  opts: WaitOptions = {},
): Promise<Release> {
  const deadline = Date.now() + (opts.limitMs ?? 30_000);
  for (;;) {
    const rel = await releases.get(name, { namespace: opts.namespace ?? "default" });
    if (done(rel)) return rel;
    if (Date.now() > deadline)
      throw new Error(`release ${name}: still not ${what}; status ${JSON.stringify(rel.status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a condition of `type` to have `status` (and `reason`, if given). */
export function waitForCondition(
  releases: ResourceClient<Release>,
  name: string,
  type: string,
  status: string,
  reason?: string,
  opts: WaitOptions = {},
): Promise<Release> {
  const want = `${type}=${status}${reason ? ` (${reason})` : ""}`;
  const done = (r: Release) => {
    const c = condition(r, type);
    return c?.status === status && (reason === undefined || c.reason === reason);
  };
  return waitForRelease(releases, name, want, done, opts);
}
