// An envtest-like helper: boots an apiserver on PGlite in a temporary directory (or on the
// given PostgreSQL), so an integration test is a few lines:
//
//   const env = await startEnv();
//   const res = await env.request("POST", "/apis/release.stella.io/v1alpha1/namespaces/default/releases", release);
//   await env.stop();
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger, type Logger } from "../apiserver/logging/logger.ts";
import { ApiServer } from "../apiserver/server.ts";
import { buildDashboard } from "../ui/build.ts";

/** A response, decoded. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A running test apiserver. */
export interface TestEnv {
  server: ApiServer;
  dataDir: string;
  adminToken: string;
  /** Sends a request through the app without TLS (hono's app.request), as admin unless headers say otherwise. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** A token for a user with one role in one namespace. */
  token(
    user: string,
    role: "admin" | "operator" | "approver" | "viewer" | "controller" | "agent",
    namespace: string,
  ): Promise<string>;
  /** A token for a user with no grants of its own (RoleBindings decide). */
  issuerToken(user: string): Promise<string>;
  stop(): Promise<void>;
}

/** Options of startEnv. */
export interface EnvOptions {
  /** Listen on a free port over HTTPS (for kubectl and real clients). Default false. */
  listen?: boolean;
  databaseUrl?: string;
  eventWindow?: number;
  /** The list cache's bound in bytes (--list-cache). */
  listCacheBytes?: number;
  /** Recent events kept in memory (--watch-cache-events). */
  watchCacheEvents?: number;
  /** How long Events are kept after last seen, ms (--event-ttl). */
  eventTtlMs?: number;
  bodyLimit?: number;
  /** The server's request timeout, ms (default 60 s). */
  requestTimeoutMs?: number;
  /** How long a response may make no progress before it is cut, ms (default 60 s). */
  sendStallMs?: number;
  /** How long an idle connection stays open, ms (default 65 s). */
  keepAliveMs?: number;
  /** Keep the data directory after stop (default: removed). */
  keep?: boolean;
  /** Where the server logs (default: nowhere, unless STELLA_TEST_LOG is set). */
  logger?: Logger;
  /** Serve the web dashboard at /ui (built from ui/app). Default false. */
  dashboard?: boolean;
}

/** Starts an apiserver for a test. */
export async function startEnv(opts: EnvOptions = {}): Promise<TestEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), "stella-test-"));
  const server = await ApiServer.start({
    dataDir,
    port: 0,
    listen: opts.listen ?? false,
    databaseUrl: opts.databaseUrl,
    eventWindow: opts.eventWindow,
    listCacheBytes: opts.listCacheBytes,
    watchCacheEvents: opts.watchCacheEvents,
    eventTtlMs: opts.eventTtlMs,
    bodyLimit: opts.bodyLimit,
    requestTimeoutMs: opts.requestTimeoutMs,
    sendStallMs: opts.sendStallMs,
    keepAliveMs: opts.keepAliveMs,
    ...(opts.dashboard ? { dashboard: await buildDashboard() } : {}),
    logger: opts.logger ?? (process.env.STELLA_TEST_LOG ? undefined : silentLogger),
  });
  const adminToken = await server.issuer.issue({ subject: "admin", grants: [{ namespace: "*", role: "admin" }] });
  // Methods read env.server, so a test that restarts the server (assigning env.server) is served and stopped by the new
  // one.
  const env: TestEnv = {
    server,
    dataDir,
    adminToken,
    async request(method, path, body, headers = {}) {
      const h: Record<string, string> = { authorization: `Bearer ${adminToken}`, ...headers };
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        h["content-type"] ??= "application/json";
      }
      const res = await env.server.app.request(path, { method, headers: h, body: payload });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
    token: (user, role, namespace) => env.server.issuer.issue({ subject: user, grants: [{ namespace, role }] }),
    issuerToken: (user) => env.server.issuer.issue({ subject: user }),
    async stop() {
      await env.server.stop();
      if (!opts.keep) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return env;
}
