// Test support for the gate suites (here and in test/gates): a GateRequest for the shop example's
// prod environment, and a local HTTP server on 127.0.0.1 that records what it was sent.
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Deployment } from "../../../crds/deployment.ts";
import type { Environment, EnvironmentGate } from "../../../crds/environment.ts";
import type { GateStatus, Promotion } from "../../../crds/promotion.ts";
import type { Release } from "../../../crds/release.ts";
import type { GateRequest } from "../../../sdk/plugins/gate.ts";

const API = "release.stella.io/v1alpha1";

/** A resolved release with two components. */
export function fixtureRelease(): Release {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  return {
    apiVersion: API,
    kind: "Release",
    metadata: { name: "shop-1-4-0", namespace: "shop", uid: "rel-uid" },
    spec: {
      components: [
        { name: "web", image: "127.0.0.1:5000/shop/web:1.4.0" },
        { name: "worker", image: "127.0.0.1:5000/shop/worker:1.4.0" },
      ],
    },
    status: {
      phase: "Resolved",
      components: [
        {
          name: "web",
          image: "127.0.0.1:5000/shop/web:1.4.0",
          digest: digest("a"),
          imageRef: `127.0.0.1:5000/shop/web@${digest("a")}`,
        },
        {
          name: "worker",
          image: "127.0.0.1:5000/shop/worker:1.4.0",
          digest: digest("b"),
          imageRef: `127.0.0.1:5000/shop/worker@${digest("b")}`,
        },
      ],
    },
  } as Release;
}

/** The prod environment of the shop example, created at `created`, with extra spec fields. */
export function fixtureEnvironment(
  spec: Partial<Environment["spec"]> = {},
  created = "2026-01-07T10:23:47Z",
): Environment {
  return {
    apiVersion: API,
    kind: "Environment",
    metadata: { name: "prod", namespace: "shop", creationTimestamp: created },
    spec: { targetSelector: { matchLabels: { "stella.io/environment": "prod" } }, upstream: ["staging"], ...spec },
  } as Environment;
}

/** A promotion of shop-1-4-0 into prod by alice, with the given gate statuses. */
export function fixturePromotion(gates?: GateStatus[]): Promotion {
  return {
    apiVersion: API,
    kind: "Promotion",
    metadata: { name: "shop-1-4-0-to-prod", namespace: "shop", uid: "promo-uid" },
    spec: { release: "shop-1-4-0", environment: "prod", requestedBy: { username: "alice", groups: ["dev"] } },
    status: gates ? { phase: "Evaluating", gates } : undefined,
  } as Promotion;
}

/** A request for `config` at `now`; secrets come from `secrets` ("name/key" → value). */
export function fixtureRequest(
  opts: {
    config?: EnvironmentGate;
    environment?: Environment;
    promotion?: Promotion;
    now?: Date;
    secrets?: Record<string, string>;
    deployments?: Deployment[];
  } = {},
): GateRequest {
  const environment = opts.environment ?? fixtureEnvironment();
  return {
    promotion: opts.promotion ?? fixturePromotion(),
    release: fixtureRelease(),
    environment,
    config: opts.config,
    environments: new Map([[environment.metadata.name ?? "prod", environment]]),
    deployments: (e) => (opts.deployments ?? []).filter((d) => d.spec.environment === e),
    secretValue: async ({ name, key }) => {
      const value = opts.secrets?.[`${name}/${key ?? ""}`];
      if (value === undefined) throw new Error(`Secret shop/${name} has no key ${key ?? "(default)"}`);
      return value;
    },
    now: opts.now ?? new Date("2026-11-25T12:00:00Z"),
  };
}

/** One request the server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent. */
  body: string;
}

/** A local HTTP server on 127.0.0.1 that records requests and answers with `handler`. */
export interface FixtureServer {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts the server; `handler` answers each request (after its body was read). */
export async function startFixtureServer(
  handler: (req: ReceivedRequest, res: ServerResponse) => void,
): Promise<FixtureServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
