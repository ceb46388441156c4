// The estate of the dashboard walk (walk.test.ts): the dashboard's server (ui-env.ts) with the
// controllers of controllers/index.ts running in this process against it, and a fresh namespace
// holding what ../shared/examples apply before promote.yaml: release.yaml (shop-1-4-0 from the
// estate's registry), and estate.yaml's dev and staging with their targets (dev-docker on the local
// engine, staging-compose a Compose project on it). As in test/promotion/examples-path.test.ts,
// staging's soak is shortened (10m to 2s); the namespace and the Compose project are the test's own,
// so no other suite's containers meet these. Nothing else is written: the walk does the rest by clicks.
import { randomBytes } from "node:crypto";
import { startControllers, type RunningControllers } from "../../controllers/index.ts";
import type { Logger } from "../../controllers/runtime/index.ts";
import { Client, loadClientConfig } from "../../sdk/index.ts";
import { removeContainers } from "../deploy/deploy-env.ts";
import type { TestEnv } from "../env.ts";
import { collection, loadExample, type Manifest } from "../fixtures.ts";
import { must, startUiServer } from "./ui-env.ts";

/** Host ports the walk's units get (no other suite assigns these). */
export const WALK_PORTS = { from: 27800, to: 27899 };

/** The examples' objects the walk starts from, by kind and name. */
const WANTED: Record<string, string[]> = {
  Release: ["shop-1-4-0"],
  Environment: ["dev", "staging"],
  Target: ["dev-docker", "staging-compose"],
};

/** A running walk estate. */
export interface WalkEnv {
  env: TestEnv;
  url: string;
  namespace: string;
  tokens: { alice: string; bob: string };
  /** What the controllers logged, as JSON lines (shown when the walk fails). */
  logs: string[];
  stop(): Promise<void>;
}

/** The examples' release and dev/staging estate, moved into `ns`. */
function examples(ns: string): Manifest[] {
  const all = [...loadExample("release.yaml"), ...loadExample("estate.yaml")];
  const picked = all.filter((m) => WANTED[m.kind]?.includes(m.metadata.name));
  for (const m of picked) {
    m.metadata.namespace = ns;
    if (m.kind === "Environment" && m.metadata.name === "staging") m.spec.requiredSoak = "2s";
    if (m.kind === "Target" && m.spec.compose) m.spec.compose.project = `${ns}-staging`;
  }
  return picked;
}

/** Starts the server and the controllers, and applies the examples into a fresh namespace. */
export async function startWalkEnv(): Promise<WalkEnv> {
  const { env } = await startUiServer();
  const namespace = `walk-${randomBytes(4).toString("hex")}`;
  await must(
    env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }),
    201,
  );
  for (const m of examples(namespace))
    await must(env.request("POST", collection(`${m.kind.toLowerCase()}s`, namespace), m), 201);
  const issue = (subject: string, roles: ("operator" | "approver")[]) =>
    env.server.issuer.issue({ subject, grants: roles.map((role) => ({ namespace, role })) });
  const config = await loadClientConfig({ path: env.server.kubeconfigPath });
  const client = Client.fromConfig({ ...config, token: await env.token("stella-controllers", "controller", "*") });
  const logs: string[] = [];
  const log: Logger = {
    info: (msg, fields) => logs.push(JSON.stringify({ level: "info", msg, ...fields })),
    error: (msg, fields) => logs.push(JSON.stringify({ level: "error", msg, ...fields })),
  };
  const controllers: RunningControllers = await startControllers({
    client,
    log,
    target: { probeInterval: 1000 },
    deployment: { ports: WALK_PORTS },
  });
  return {
    env,
    url: env.server.url,
    namespace,
    tokens: { alice: await issue("alice", ["operator", "approver"]), bob: await issue("bob", ["approver"]) },
    logs,
    async stop() {
      await controllers.stop();
      client.close();
      await env.stop();
      await removeContainers(namespace);
    },
  };
}
