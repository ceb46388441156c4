// Promotions end to end on the local estate: an apiserver (test/env.ts), the controllers of
// controllers/index.ts (in this process, or in a child process a test may kill), a fresh
// namespace, clients for the people of the tests (alice requests promotions, bob and carol
// approve), and a webhook receiver for notifications. Host ports come from 25000-25999 so they
// cannot meet the deployment suites' units.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startControllers, type RunningControllers } from "../../controllers/index.ts";
import type { Logger } from "../../controllers/runtime/index.ts";
import { deploymentKind, type Deployment } from "../../crds/deployment.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { evidencePacketKind, type EvidencePacket } from "../../crds/evidence-packet.ts";
import { promotionKind, type Promotion, type PromotionSpec } from "../../crds/promotion.ts";
import { releaseKind, type Release } from "../../crds/release.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { Client, loadClientConfig, type ResourceClient } from "../../sdk/index.ts";
import { removeContainers, waitFor } from "../deploy/deploy-env.ts";
import { startEnv, type TestEnv, type TestResponse } from "../env.ts";

/** Host ports the promotion tests assign. */
export const PROMOTION_PORTS = { from: 25000, to: 25999 };

/** A running apiserver with a namespace, people and (optionally) controllers. */
export interface PromotionEnv {
  env: TestEnv;
  namespace: string;
  admin: Client;
  tokens: { alice: string; bob: string; carol: string; controller: string };
  promotions: ResourceClient<Promotion>;
  deployments: ResourceClient<Deployment>;
  releases: ResourceClient<Release>;
  environments: ResourceClient<Environment>;
  targets: ResourceClient<Target>;
  evidence: ResourceClient<EvidencePacket>;
  logs: string[];
  controllers?: RunningControllers;
  stop(): Promise<void>;
}

/** Starts the apiserver, a namespace, tokens, and (unless `controllers` is "none") the controllers in-process. */
export async function startPromotionEnv(opts: { controllers?: "in-process" | "none" } = {}): Promise<PromotionEnv> {
  const env = await startEnv({ listen: true });
  const namespace = `promo-${randomBytes(4).toString("hex")}`;
  await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  const config = await loadClientConfig({ path: env.server.kubeconfigPath });
  const issue = (subject: string, roles: string[]) =>
    env.server.issuer.issue({ subject, grants: roles.map((role) => ({ namespace, role: role as "operator" })) });
  const tokens = {
    alice: await issue("alice", ["operator", "approver"]),
    bob: await issue("bob", ["approver"]),
    carol: await issue("carol", ["approver"]),
    controller: await env.token("stella-controllers", "controller", "*"),
  };
  const admin = Client.fromConfig({ ...config, namespace });
  const controllerClient = Client.fromConfig({ ...config, token: tokens.controller });
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
          deployment: { ports: PROMOTION_PORTS },
        });
  return {
    env,
    namespace,
    admin,
    tokens,
    promotions: admin.resource<Promotion>(promotionKind),
    deployments: admin.resource<Deployment>(deploymentKind),
    releases: admin.resource<Release>(releaseKind),
    environments: admin.resource<Environment>(environmentKind),
    targets: admin.resource<Target>(targetKind),
    evidence: admin.resource<EvidencePacket>(evidencePacketKind),
    logs,
    controllers,
    async stop() {
      await controllers?.stop();
      controllerClient.close();
      admin.close();
      await env.stop();
      await removeContainers(namespace);
    },
  };
}

/** A Promotion `name` (created by whoever's client creates it). */
export const promotion = (
  namespace: string,
  name: string,
  spec: Pick<PromotionSpec, "release" | "environment"> & Partial<PromotionSpec>,
): Promotion => ({ apiVersion: "release.stella.io/v1alpha1", kind: "Promotion", metadata: { name, namespace }, spec });

/**
 * Creates promotion `p` as the holder of `token` (alice by default: operator and approver). The
 * request goes through the app in-process: a client socket left idle past the server's keep-alive
 * timeout while a test waits can be reset on reuse.
 */
export async function createAs(pe: PromotionEnv, p: Promotion, token = pe.tokens.alice): Promise<Promotion> {
  const res = await pe.env.request(
    "POST",
    `/apis/release.stella.io/v1alpha1/namespaces/${pe.namespace}/promotions`,
    p,
    { authorization: `Bearer ${token}` },
  );
  if (res.status !== 201) throw new Error(`creating promotion ${p.metadata.name}: ${res.status} ${res.text}`);
  return res.body as Promotion;
}

/** Sets spec.abort on promotion `name` as the holder of `token` (alice by default). */
export async function abortAs(pe: PromotionEnv, name: string, token = pe.tokens.alice): Promise<void> {
  const res = await pe.env.request(
    "PATCH",
    `/apis/release.stella.io/v1alpha1/namespaces/${pe.namespace}/promotions/${name}`,
    { spec: { abort: true } },
    { authorization: `Bearer ${token}`, "content-type": "application/merge-patch+json" },
  );
  if (res.status !== 200) throw new Error(`aborting promotion ${name}: ${res.status} ${res.text}`);
}

/** POSTs a decision to the promotion's approval subresource as the holder of `token`. */
export function decide(
  pe: PromotionEnv,
  token: string,
  name: string,
  decision: "Approved" | "Rejected",
  comment?: string,
): Promise<TestResponse> {
  const path = `/apis/release.stella.io/v1alpha1/namespaces/${pe.namespace}/promotions/${name}/approval`;
  return pe.env.request(
    "POST",
    path,
    { decision, ...(comment ? { comment } : {}) },
    { authorization: `Bearer ${token}` },
  );
}

/** Waits until a promotion reaches one of `phases`. */
export const waitPromotion = (pe: PromotionEnv, name: string, phases: string[], ms?: number): Promise<Promotion> =>
  waitFor(
    `promotion ${name} to reach ${phases.join("|")}`,
    () => pe.promotions.get(name),
    (p) => phases.includes(p.status?.phase ?? "Pending"),
    ms,
  );

/** Waits until a promotion's message matches `re`. */
export const waitMessage = (pe: PromotionEnv, name: string, re: RegExp, ms?: number): Promise<Promotion> =>
  waitFor(
    `promotion ${name}'s message to match ${re}`,
    () => pe.promotions.get(name),
    (p) => re.test(p.status?.message ?? ""),
    ms,
  );

/** The evidence packets of a promotion, in chain order when sealed (else by name). */
export async function evidenceOf(pe: PromotionEnv, promotionName: string): Promise<EvidencePacket[]> {
  const { items } = await pe.evidence.list({ labelSelector: `stella.io/promotion=${promotionName}` });
  return items.sort(
    (a, b) =>
      (a.spec.seal?.sequence ?? 0) - (b.spec.seal?.sequence ?? 0) ||
      ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1),
  );
}

/** One request a webhook receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a receiver answers: status, body and headers. */
export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A local HTTP receiver on 127.0.0.1 recording what it got; `answer` decides the reply (200 "ok" by default). */
export async function webhookReceiver(
  answer: (r: Received, received: readonly Received[]) => Answer = () => ({ status: 200, body: "ok" }),
): Promise<{ url: string; at: (path: string) => string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const r = { path: req.url ?? "", headers: req.headers, body };
      received.push(r);
      const a = answer(r, received);
      res.writeHead(a.status, a.headers).end(a.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const at = (path: string) => `http://127.0.0.1:${port}${path}`;
  return { url: at("/hook"), at, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The controllers of controllers/index.ts in a child process (for kill tests), on the promotion ports. */
export function controllerProcess(pe: PromotionEnv): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("../deploy/controller-process.ts", import.meta.url).pathname],
    {
      env: {
        ...process.env,
        STELLA_KUBECONFIG: pe.env.server.kubeconfigPath,
        STELLA_TOKEN: pe.tokens.controller,
        STELLA_PORTS: `${PROMOTION_PORTS.from}-${PROMOTION_PORTS.to}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stderr?.on("data", (b: Buffer) => pe.logs.push(...b.toString().split("\n").filter(Boolean)));
  return child;
}
