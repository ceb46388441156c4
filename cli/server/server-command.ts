// `stella server`: runs the apiserver on the embedded store (or PostgreSQL) until SIGINT/SIGTERM.
// This is one of the few places allowed to import the apiserver (DESIGN.md, layout).
import { resolve } from "node:path";
import { ApiServer } from "../../apiserver/server.ts";
import { logger, type LogFormat, type Logger, type LogLevel } from "../../apiserver/logging/logger.ts";
import { ADMIN_TOKEN_TTL_SECONDS } from "../../apiserver/auth/tokens.ts";
import { durationMillis } from "../../crds/duration.ts";
import { startControllers } from "../../controllers/index.ts";
import { Client } from "../../sdk/client.ts";
import { buildDashboard } from "../../ui/build.ts";
import { parseFlags, parsePort, parseTimeoutMs } from "../args.ts";
import { colorEnabled } from "../output/color.ts";
import { UsageError, type Command } from "../command.ts";
import { memoryBounds } from "./memory-flags.ts";

/** `stella server`. */
export const serverCommand: Command = {
  name: "server",
  summary: "Run the Stella API server",
  help: `Run the Stella API server (HTTPS, Kubernetes-compatible API).

Usage: stella server [--data DIR] [--port N] [--bind ADDR] [--database-url URL] [--event-ttl 1h]
                     [--list-cache SIZE] [--watch-cache-events N] [--pglite-shared-buffers SIZE]

Flags:
  --data DIR            data directory: embedded database, CA, signing key, admin kubeconfig (default ./.stella)
  --port N              HTTPS port (default 7443; 0 picks a free port)
  --bind ADDR           listen address (default 127.0.0.1)
  --database-url URL    use PostgreSQL instead of the embedded store (also STELLA_DATABASE_URL)
  --event-window N      change events kept for watches before compaction (default 100000)
  --request-timeout D   answer 504 to a request not done in D (default 60s; watches excluded); a write
                        that committed stays committed, so clients read before retrying
  --event-ttl DURATION  how long an Event is kept after it was last seen (default 1h), as kube-apiserver

Memory (each cache is bounded; /metrics shows what each holds against its bound):
  --list-cache SIZE     JSON the list cache may hold over all resources (default 192Mi; 0 turns it
                        off); past it the largest resource is listed from the database instead
  --watch-cache-events N
                        recent events kept in memory to start watches from (default 10000); older
                        resourceVersions are read from the database, up to --event-window
  --pglite-shared-buffers SIZE
                        the embedded store's shared_buffers (default 32Mi, at least 1Mi); ignored
                        with --database-url, where PostgreSQL's own setting applies
  --log-level LEVEL     debug, info, warn or error (default info)
  --log-format FORMAT   text (lines for a person) or json (one object per line); default text on a
                        terminal, json when stderr is piped or redirected
  --no-controllers      serve the API only; run the controllers elsewhere

On first start the server writes DIR/admin.kubeconfig, usable by both stella and kubectl.

Examples:
  stella server
  stella server --data /var/lib/stella --port 8443
  kubectl --kubeconfig .stella/admin.kubeconfig get environments -A`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      data: { type: "string", default: ".stella" },
      port: { type: "string", default: "7443" },
      bind: { type: "string", default: "127.0.0.1" },
      "database-url": { type: "string" },
      "event-window": { type: "string" },
      "event-ttl": { type: "string", default: "1h" },
      "log-level": { type: "string", default: "info" },
      "log-format": { type: "string" },
      "request-timeout": { type: "string" },
      "list-cache": { type: "string" },
      "watch-cache-events": { type: "string" },
      "pglite-shared-buffers": { type: "string" },
      "no-controllers": { type: "boolean", default: false },
    });
    const level = values["log-level"] as LogLevel;
    if (!["debug", "info", "warn", "error"].includes(level))
      throw new UsageError(`--log-level must be debug, info, warn or error, not "${level}"`);
    const eventWindow = values["event-window"] === undefined ? undefined : Number(values["event-window"]);
    if (eventWindow !== undefined && (!Number.isInteger(eventWindow) || eventWindow < 100))
      throw new UsageError("--event-window must be a whole number of at least 100");
    const eventTtlMs = durationMillis(values["event-ttl"]!);
    if (!eventTtlMs)
      throw new UsageError(
        `--event-ttl must be a duration greater than zero such as 1h or 30m, not "${values["event-ttl"]}"`,
      );
    const memory = memoryBounds(values);
    const log = logger(level, logFormat(values["log-format"]));
    const server = await ApiServer.start({
      dataDir: resolve(values.data!),
      port: parsePort(values.port!, "port"),
      bind: values.bind,
      databaseUrl: values["database-url"] ?? process.env.STELLA_DATABASE_URL,
      eventWindow,
      ...memory,
      ...(values["request-timeout"] ? { requestTimeoutMs: serverRequestTimeout(values["request-timeout"]) } : {}),
      eventTtlMs,
      logger: log,
      dashboard: await buildDashboard(),
    });
    const databaseUrl = values["database-url"] ?? process.env.STELLA_DATABASE_URL;
    const controllers = values["no-controllers"]
      ? undefined
      : await startInProcessControllers(server, log, !!databaseUrl);
    process.stderr.write(
      `Stella is serving ${server.url}\n  dashboard: ${server.url}/ui/ (sign in with: stella dashboard --kubeconfig ${server.kubeconfigPath})\n  kubectl --kubeconfig ${server.kubeconfigPath} get environments -A\n`,
    );
    await new Promise<void>((done) => {
      const shutdown = () => {
        process.off("SIGINT", shutdown);
        process.off("SIGTERM", shutdown);
        (controllers ? controllers.stop() : Promise.resolve()).finally(() => server.stop().then(done, done));
      };
      // Another replica took the lease: this process's controllers stopped; exit so a supervisor restarts it.
      controllers?.done.catch(() => shutdown());
      process.on("SIGINT", shutdown);
      process.on("SIGTERM", shutdown);
    });
    return 0;
  },
};

/**
 * Runs the controllers in this process, reaching the apiserver like any other client: over
 * HTTPS with a controller-role token. With PostgreSQL (several replicas) they run only while this
 * process holds the `stella-controllers` lease.
 */
async function startInProcessControllers(server: ApiServer, log: Logger, replicated: boolean) {
  const token = await server.issuer.issue({
    subject: "system:stella-controllers",
    grants: [{ namespace: "*", role: "controller" }],
    ttlSeconds: ADMIN_TOKEN_TTL_SECONDS,
  });
  const client = Client.fromConfig({ server: server.url, caCertPem: server.pki.caCertPem, token });
  return startControllers({
    client,
    log: log.with({ component: "controllers" }),
    leaderElection: replicated ? { leaseName: "stella-controllers" } : undefined,
  });
}

/** --log-format, defaulting to text on a terminal (coloured unless NO_COLOR) and JSON otherwise. */
function logFormat(given: string | undefined): LogFormat {
  const format = given ?? (process.stderr.isTTY ? "text" : "json");
  if (format === "json") return { kind: "json" };
  if (format === "text") return { kind: "text", color: colorEnabled(process.stderr) };
  throw new UsageError(`--log-format must be text or json, not "${format}"`);
}

/** --request-timeout of the server: a positive duration (a request without a bound is what it prevents). */
function serverRequestTimeout(value: string): number {
  const ms = parseTimeoutMs(value, "request-timeout");
  if (ms <= 0) throw new UsageError("--request-timeout must be longer than 0");
  return ms;
}
