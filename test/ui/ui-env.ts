// What the dashboard tests share: a real apiserver listening over HTTPS with the dashboard, its log
// captured, and namespace shop holding a pipeline dev -> staging -> prod, a resolved release (its
// annotation a script-injection attempt), a promotion into staging by alice awaiting approval
// (separation of duties), and a deployment in dev in progress. No controllers run: the tests move
// status themselves, as a controller would, so each change is one the test controls.
import { logger } from "../../apiserver/logging/logger.ts";
import { as, must, NS, promotion, promotionUrl, resolvedRelease, tokenFor } from "../approvals/approval-env.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

export { as, must, NS, promotionUrl };

/** The annotation a hostile release author wrote; the page must show it as text. */
export const HOSTILE = `<img src=x onerror=alert(1)>`;

/** The seeded objects' names. */
export const NAMES = { release: "shop-1-4-0", promotion: "shop-1-4-0-staging", deployment: "shop-1-4-0-dev" };

/** A running dashboard estate. */
export interface UiEnv {
  env: TestEnv;
  url: string;
  /** Everything the server logged, as JSON lines. */
  log: string[];
  tokens: { alice: string; bob: string; viewer: string; admin: string };
  stop(): Promise<void>;
}

const MERGE = { "content-type": "application/merge-patch+json" };

/** Patches `path` (a status subresource, or spec) as admin with a merge patch. */
export const mergePatch = (env: TestEnv, path: string, patch: unknown) =>
  must(env.request("PATCH", path, patch, MERGE), 200);

/** A server listening over HTTPS with the dashboard, its log captured as JSON lines. */
export async function startUiServer(): Promise<{ env: TestEnv; log: string[] }> {
  const log: string[] = [];
  const env = await startEnv({
    listen: true,
    dashboard: true,
    logger: logger("info", { kind: "json" }, (line) => log.push(line)),
  });
  return { env, log };
}

/** Starts the server and seeds namespace shop. */
export async function startUiEnv(): Promise<UiEnv> {
  const { env, log } = await startUiServer();
  await must(
    env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }),
    201,
  );
  await resolvedRelease(env, NAMES.release);
  await mergePatch(env, `${collection("releases", NS)}/${NAMES.release}`, {
    metadata: { annotations: { "stella.io/notes": HOSTILE } },
  });
  const envs = [
    { name: "dev" },
    { name: "staging", upstream: ["dev"], approvals: { required: 1, separationOfDuties: true } },
    { name: "prod", upstream: ["staging"], requiredSoak: "1h" },
  ];
  for (const { name, ...spec } of envs) {
    const m = environment(name, NS);
    Object.assign(m.spec, spec);
    await must(env.request("POST", collection("environments", NS), m), 201);
  }
  const target = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name: "dev-docker", namespace: NS, labels: { "stella.io/environment": "dev" } },
    spec: { driver: "docker", docker: { socket: "/var/run/docker.sock" } },
  };
  await must(env.request("POST", collection("targets", NS), target), 201);
  const alice = await tokenFor(env, "alice", ["operator", "approver"]);
  const bob = await tokenFor(env, "bob", ["approver"]);
  const viewer = await tokenFor(env, "victor", ["viewer"]);
  await must(env.request("POST", collection("promotions", NS), promotion(NAMES.promotion, "staging"), as(alice)), 201);
  await mergePatch(env, promotionUrl(NAMES.promotion, "status"), {
    status: {
      phase: "AwaitingApproval",
      approvalsRequired: 1,
      message: "waiting for 1 approval",
      gates: [
        {
          name: "upstream",
          type: "upstream",
          verdict: "Passed",
          message: "succeeded in dev",
          inputs: { dev: NAMES.release },
        },
        { name: "approval", type: "approval", verdict: "Pending", message: "0 of 1 approvals" },
      ],
    },
  });
  const deployment = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name: NAMES.deployment, namespace: NS },
    spec: { release: NAMES.release, environment: "dev" },
  };
  await must(env.request("POST", collection("deployments", NS), deployment), 201);
  await mergePatch(env, `${collection("deployments", NS)}/${NAMES.deployment}/status`, {
    status: {
      phase: "Progressing",
      totalTargets: 1,
      healthyTargets: 0,
      targets: [
        {
          name: "dev-docker",
          phase: "Progressing",
          units: [{ component: "web", healthy: false, message: "starting" }],
        },
      ],
    },
  });
  await mergePatch(env, `${collection("environments", NS)}/dev/status`, {
    status: { phase: "Progressing", activeDeployment: NAMES.deployment, readyTargets: 1, totalTargets: 1 },
  });
  return {
    env,
    url: env.server.url,
    log,
    tokens: { alice, bob, viewer, admin: env.adminToken },
    stop: () => env.stop(),
  };
}

/** Creates Canary `name` of the seeded release in prod (steps and one analysis metric), as stored before it runs. */
export async function createCanary(env: TestEnv, name: string): Promise<void> {
  await must(
    env.request("POST", collection("canaries", NS), {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Canary",
      metadata: { name, namespace: NS },
      spec: {
        release: NAMES.release,
        environment: "prod",
        component: "web",
        router: { plugin: "haproxy", haproxy: { runtimeApi: "127.0.0.1:9999", backend: "shop_web" } },
        steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { analysis: { metrics: ["error-rate"] } }],
        analysis: {
          metrics: [
            {
              name: "error-rate",
              successCondition: "result < 0.01",
              provider: { prometheus: { address: "http://127.0.0.1:9090", query: "vector(0)" } },
            },
          ],
        },
      },
    }),
    201,
  );
}
