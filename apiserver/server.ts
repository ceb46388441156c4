// One apiserver process: storage, PKI, tokens, the garbage collector, the role-binding cache
// and the HTTPS listener, started and stopped in order.
import { join } from "node:path";
import { mkdir, readFile } from "node:fs/promises";
import type { Hono } from "hono";
import { kinds } from "../crds/scheme.ts";
import { namespaceKind } from "../crds/namespace.ts";
import { openApiForGroupVersion, openApiRoot } from "../crds/openapi.ts";
import { ensurePki, type Pki } from "./auth/pki.ts";
import { ensureEvidenceKey } from "./evidence/signing-key.ts";
import { EvidenceSealer, sealingStorage } from "./evidence/sealing-storage.ts";
import { ADMIN_TOKEN_TTL_SECONDS, TokenIssuer } from "./auth/tokens.ts";
import { writeKubeconfig } from "./auth/kubeconfig.ts";
import { SignInCodes } from "./auth/sign-in-codes.ts";
import { createApp } from "./http/app.ts";
import { listen, type Listener } from "./listener.ts";
import type { DashboardFile } from "./http/dashboard.ts";
import { ApiMetrics } from "./http/metrics.ts";
import { DEFAULT_BODY_LIMIT } from "./http/request-body.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./http/request-timeout.ts";
import { RoleBindingCache } from "./http/role-binding-cache.ts";
import { AgentRegistry } from "./http/agent-registry.ts";
import { WatchSet } from "./http/watch-set.ts";
import { jsonLogger, type Logger } from "./logging/logger.ts";
import { EventSweeper } from "./registry/event-ttl.ts";
import { GarbageCollector } from "./registry/garbage-collector.ts";
import { ensureDefaultNamespace } from "./registry/namespaces.ts";
import { resealLegacySecrets, secretTransform } from "./registry/strategies/secret-at-rest.ts";
import { ResourceCache } from "./registry/resource-cache.ts";
import { Store } from "./registry/store.ts";
import { SecretCipher } from "./secrets/cipher.ts";
import { LocalKeyProvider } from "./secrets/key-provider.ts";
import { openStorage } from "./storage/index.ts";
import { instrumentStorage } from "./storage/instrumented.ts";
import type { Storage } from "./storage/types.ts";
import { bearerAuthenticator, roleAuthorizer, roleLookup, roleReviewer } from "./security.ts";
import { SERVER_VERSION } from "./version.ts";

/** How to run an apiserver. */
export interface ApiServerOptions {
  /** Data directory: PGlite database (unless databaseUrl), CA, keys (token, secrets, evidence), admin kubeconfig. */
  dataDir: string;
  /** PostgreSQL URL; when absent the embedded PGlite store in dataDir/db is used. */
  databaseUrl?: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Listen address (127.0.0.1 unless told otherwise). */
  bind?: string;
  /** Events retained for watches (compaction window). */
  eventWindow?: number;
  /** Bound of the list cache in bytes of JSON (default 192 MiB; 0 turns it off). */
  listCacheBytes?: number;
  /** Recent events kept in memory to start watches from (default 10,000). */
  watchCacheEvents?: number;
  /** PGlite's shared_buffers in MiB (default 32); ignored with PostgreSQL, which has its own. */
  pgliteSharedBuffersMiB?: number;
  /** How long an Event (the kind) is kept after it was last seen, ms; one hour when absent (--event-ttl). */
  eventTtlMs?: number;
  bodyLimit?: number;
  /** How long a request other than a watch may take (default 60 s, as kube-apiserver's --request-timeout). */
  requestTimeoutMs?: number;
  /** How long a response other than a watch may make no progress before it is cut (default 60 s). */
  sendStallMs?: number;
  /** How long an idle connection stays open (default 65 s). */
  keepAliveMs?: number;
  logger?: Logger;
  /** Don't listen at all (tests that use app.request()). */
  listen?: boolean;
  /** The web dashboard's built files, by path under /ui/; absent: no dashboard. */
  dashboard?: ReadonlyMap<string, DashboardFile>;
}

/** The admin kubeconfig's file name in the data directory. */
export const ADMIN_KUBECONFIG = "admin.kubeconfig";

/** A running apiserver. */
export class ApiServer {
  private constructor(
    readonly app: Hono,
    readonly storage: Storage,
    readonly store: Store,
    readonly issuer: TokenIssuer,
    readonly pki: Pki,
    readonly url: string,
    readonly kubeconfigPath: string,
    private readonly server: Listener | undefined,
    private readonly gc: GarbageCollector,
    private readonly bindings: RoleBindingCache,
    private readonly agents: AgentRegistry,
    private readonly watches: WatchSet,
    private readonly log: Logger,
    private readonly lifecycle: { stopping: boolean },
    private readonly namespaces: ResourceCache<{ terminating: boolean }>,
    private readonly events: EventSweeper,
  ) {}

  /** Starts everything; resolves once the server accepts connections. */
  static async start(opts: ApiServerOptions): Promise<ApiServer> {
    const log = opts.logger ?? jsonLogger("info");
    const bind = opts.bind ?? "127.0.0.1";
    await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
    const metrics = new ApiMetrics();
    log.info(
      opts.databaseUrl
        ? "connecting to PostgreSQL"
        : "opening the embedded store (the first start initializes it, which takes a few seconds)",
      { dataDir: opts.dataDir },
    );
    const backend = opts.databaseUrl
      ? { backend: "postgres" as const, url: opts.databaseUrl }
      : {
          backend: "pglite" as const,
          dataDir: join(opts.dataDir, "db"),
          sharedBuffersMiB: opts.pgliteSharedBuffersMiB,
        };
    const raw = await openStorage(backend, {
      eventWindow: opts.eventWindow,
      listCacheBytes: opts.listCacheBytes,
      recentEvents: opts.watchCacheEvents,
      logger: log.with({ component: "storage" }),
    });
    if (raw.cacheStats) metrics.observeCaches(() => raw.cacheStats!());
    const storage = instrumentStorage(raw, (op, seconds) => metrics.observeStorage(op, seconds));
    const keys = await new LocalKeyProvider(opts.dataDir).dataKeys();
    const namespaces = new ResourceCache(storage, "namespaces", (o) => ({
      terminating: !!o.metadata.deletionTimestamp,
    }));
    await namespaces.start();
    const evidenceKey = await ensureEvidenceKey(opts.dataDir);
    // The store's writes go through the sealer: every EvidencePacket is sealed into its namespace's chain.
    const sealed = sealingStorage(storage, new EvidenceSealer(storage, evidenceKey.privateKey));
    const secrets = secretTransform(new SecretCipher(keys.current, keys.older));
    const store = new Store(sealed, { Secret: secrets }, namespaces);
    const resealed = await resealLegacySecrets(storage, secrets);
    if (resealed > 0) log.info("sealed secrets stored in the older format (data only) whole", { count: resealed });
    await ensureDefaultNamespace(store, namespaceKind);
    const pki = await ensurePki(opts.dataDir, { hosts: [bind] });
    const issuer = await TokenIssuer.open(opts.dataDir);
    const bindings = new RoleBindingCache(storage);
    await bindings.start();
    const agents = new AgentRegistry(storage);
    await agents.start();
    // A kind stored as another (events.k8s.io Event) is the same objects: collect them once.
    const gc = new GarbageCollector(
      store,
      kinds.filter((k) => !k.storedAs),
      (msg, fields) => log.warn(msg, { component: "garbage-collector", ...fields }),
    );
    await gc.start();
    const events = new EventSweeper(storage, {
      ttlMs: opts.eventTtlMs,
      onError: (err) => log.warn("event sweep failed", { component: "event-ttl", error: String(err) }),
    });
    events.start();
    const watches = new WatchSet();
    const lifecycle = { stopping: false };
    const app = createApp({
      store,
      kinds,
      authenticate: bearerAuthenticator(issuer, agents),
      authorize: roleAuthorizer(bindings, agents),
      review: roleReviewer(bindings, kinds),
      rolesOf: roleLookup(bindings),
      audit: (r) => storage.appendAudit(r),
      metrics,
      log: log.with({ component: "http" }),
      bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
      requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      watches,
      version: SERVER_VERSION,
      openapi: { root: () => openApiRoot(), groupVersion: (g, v) => openApiForGroupVersion(g, v) },
      ready: async () =>
        !lifecycle.stopping &&
        (await storage.ping().then(
          () => true,
          () => false,
        )),
      evidencePublicKey: evidenceKey.publicKeyPem,
      ...(opts.dashboard
        ? {
            dashboard: {
              files: opts.dashboard,
              codes: new SignInCodes(storage),
              issueSession: (p, ttlSeconds) =>
                issuer.issue({ subject: p.user, groups: p.groups, grants: p.grants, ttlSeconds }),
            },
          }
        : {}),
      enrollment: { issuer, caCertPem: pki.caCertPem },
    });
    let server: Listener | undefined;
    let port = opts.port;
    if (opts.listen !== false) {
      server = await listen({
        app,
        port: opts.port,
        hostname: bind,
        keyPem: pki.serverKeyPem,
        certPem: pki.serverCertPem,
        sendStallMs: opts.sendStallMs,
        keepAliveMs: opts.keepAliveMs,
      });
      port = server.port;
    }
    const host = bind.includes(":") ? `[${bind}]` : bind === "0.0.0.0" ? "127.0.0.1" : bind;
    const url = `https://${host}:${port}`;
    const kubeconfigPath = join(opts.dataDir, ADMIN_KUBECONFIG);
    await ensureAdminKubeconfig(kubeconfigPath, url, pki, issuer);
    log.info("apiserver started", { url, backend: storage.backend, dataDir: opts.dataDir, kubeconfig: kubeconfigPath });
    return new ApiServer(
      app,
      storage,
      store,
      issuer,
      pki,
      url,
      kubeconfigPath,
      server,
      gc,
      bindings,
      agents,
      watches,
      log,
      lifecycle,
      namespaces,
      events,
    );
  }

  /** Graceful shutdown: refuse new work, end watches cleanly, finish in-flight requests, close storage. */
  async stop(): Promise<void> {
    if (this.lifecycle.stopping) return;
    this.lifecycle.stopping = true;
    this.watches.endAll();
    const cut = (await this.server?.close(SHUTDOWN_GRACE_MS)) ?? 0;
    if (cut > 0) this.log.warn("connections still busy after the shutdown grace period were cut", { count: cut });
    await this.gc.stop();
    await this.events.stop();
    this.bindings.stop();
    this.agents.stop();
    this.namespaces.stop();
    await this.storage.close();
    this.log.info("apiserver stopped", {});
  }
}

/** How long stop() lets requests in flight finish before it cuts the connections left. */
const SHUTDOWN_GRACE_MS = 3000;

/** Writes the admin kubeconfig unless one for this server URL is already there. */
async function ensureAdminKubeconfig(path: string, url: string, pki: Pki, issuer: TokenIssuer): Promise<void> {
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing && existing.includes(`server: ${url}`)) return;
  const token = await issuer.issue({
    subject: "admin",
    groups: ["stella:admins"],
    grants: [{ namespace: "*", role: "admin" }],
    ttlSeconds: ADMIN_TOKEN_TTL_SECONDS,
  });
  await writeKubeconfig(path, {
    server: url,
    caCertPem: pki.caCertPem,
    token,
    user: "admin",
    context: "stella",
    cluster: "stella",
  });
}
