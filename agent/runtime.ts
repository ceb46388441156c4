// The agent process: enrolls once (or resumes from its data directory), keeps its credential
// renewed, heartbeats through its Lease, reports its host facts, and runs its work with the local
// driver it was given. It only dials out; when the server goes away it keeps trying, and picks up
// where it was when the server is back (watches resume, the next heartbeat lands).
import { agentKind, DEFAULT_HEARTBEAT_INTERVAL_MS, agentLeaseName, type Agent } from "../crds/agent.ts";
import { durationMillis } from "../crds/duration.ts";
import { isUnauthorized } from "../crds/errors.ts";
import { Client } from "../sdk/client.ts";
import { AgentDataDir, type StoredCredential } from "./data-dir.ts";
import { enroll, parseBootstrapToken, renew } from "./enrollment.ts";
import { AgentConfigError, EnrollmentError } from "./errors.ts";
import { heartbeat } from "./heartbeat.ts";
import { hostFacts } from "./host-facts.ts";
import type { AgentLog } from "./log.ts";
import { capabilities, type LocalDrivers } from "./local-drivers.ts";
import { localAddressTowards } from "./route-address.ts";
import { WorkRunner } from "./work-runner.ts";

/** How to run an agent. */
export interface AgentOptions {
  /** The server URL; the stored credential's when absent. */
  server?: string;
  name: string;
  /** Needed only for the first start (enrollment). */
  bootstrapToken?: string;
  dataDir: string;
  /** The local drivers by capability; they are what the agent reports in status.capabilities. */
  drivers: LocalDrivers;
  log: AgentLog;
  /** Lifetime to ask for credentials, seconds (the server's default when absent). */
  credentialTtlSeconds?: number;
  /** How often Run work is observed again, ms; 5 s when absent. */
  resyncMs?: number;
  /**
   * Where this host's units answer for routers (`--address`); when absent, the local address of a
   * connection to the server.
   */
  address?: string;
}

const RETRY_MS = 2_000;

/** A running agent. */
export class AgentRuntime {
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private connected = false;
  private failure?: (err: Error) => void;
  /**
   * Settles when the agent stops: rejects with EnrollmentError when its credential is refused for good (revoked,
   * deleted).
   */
  readonly done: Promise<void>;
  private finish!: () => void;

  private constructor(
    private readonly opts: AgentOptions,
    private credential: StoredCredential,
    private readonly dir: AgentDataDir,
    private readonly client: Client,
    private readonly runner: WorkRunner,
    private readonly intervalMs: number,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.finish = resolve;
      this.failure = reject;
    });
  }

  /** Enrolls if needed, then starts heartbeats, renewal and work. */
  static async start(opts: AgentOptions): Promise<AgentRuntime> {
    const dir = new AgentDataDir(opts.dataDir);
    const { privateKey, publicKeyPem } = await dir.keyPair();
    let credential = await dir.credential();
    if (credential && credential.name !== opts.name)
      throw new AgentConfigError("--name", `the data directory belongs to agent ${credential.name}, not ${opts.name}`);
    if (!credential) {
      if (!opts.bootstrapToken)
        throw new AgentConfigError("--bootstrap-token", "required on the first start (the agent has not enrolled yet)");
      const named = parseBootstrapToken(opts.bootstrapToken);
      if (named.name !== opts.name)
        throw new AgentConfigError("--bootstrap-token", `the token is for agent ${named.name}, not ${opts.name}`);
      if (!opts.server) throw new AgentConfigError("--server", "required on the first start");
      credential = await enroll(opts.server, opts.bootstrapToken, publicKeyPem, opts.credentialTtlSeconds);
      await dir.saveCredential(credential);
      opts.log.info("enrolled", { namespace: credential.namespace, server: credential.server });
    } else if (opts.server && opts.server !== credential.server) {
      credential = { ...credential, server: opts.server };
    }
    if (Date.parse(credential.expirationTimestamp) - Date.now() < 30_000) {
      credential = await renew(credential, privateKey, opts.credentialTtlSeconds);
      await dir.saveCredential(credential);
    }
    const client = Client.fromConfig(
      {
        server: credential.server,
        caCertPem: credential.caCertPem,
        token: credential.token,
        namespace: credential.namespace,
      },
      { userAgent: "stella-agent/0.1" },
    );
    const agent = await client.resource<Agent>(agentKind).get(opts.name, { namespace: credential.namespace });
    const intervalMs = durationMillis(agent.spec.heartbeatInterval ?? "") ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    if (!opts.drivers.docker) throw new AgentConfigError("drivers", "the agent needs a local docker driver");
    const address = opts.address ?? (await localAddressTowards(credential.server));
    const runner = new WorkRunner({
      address,
      client,
      namespace: credential.namespace,
      agent: opts.name,
      drivers: opts.drivers,
      log: opts.log,
      resyncMs: opts.resyncMs ?? 5_000,
    });
    const runtime = new AgentRuntime({ ...opts, address }, credential, dir, client, runner, intervalMs);
    runtime.begin(privateKey);
    return runtime;
  }

  /** The agent's namespace. */
  get namespace(): string {
    return this.credential.namespace;
  }

  private begin(privateKey: Parameters<typeof renew>[1]): void {
    this.runner.start();
    const renewal = async () => {
      if (this.stopped) return;
      try {
        this.credential = await renew(this.credential, privateKey, this.opts.credentialTtlSeconds);
        await this.dir.saveCredential(this.credential);
        this.client.transport.config.token = this.credential.token;
        this.schedule(renewal, this.renewIn());
      } catch (err) {
        if (err instanceof EnrollmentError && (err.status === 401 || err.status === 403)) {
          this.opts.log.error("credential refused: the agent was revoked or deleted", { error: err.message });
          this.failure?.(err); // settles `done` before stop() would resolve it
          void this.stop();
          return;
        }
        this.opts.log.warn("renewing the credential failed; retrying", { error: String(err) });
        this.schedule(renewal, RETRY_MS);
      }
    };
    const beat = async () => {
      if (this.stopped) return;
      try {
        await heartbeat(this.client, this.namespace, this.opts.name, this.intervalMs);
        if (!this.connected) await this.reportFacts();
        this.connected = true;
      } catch (err) {
        if (this.connected) this.opts.log.warn("heartbeat failed; retrying", { error: String(err) });
        this.connected = false;
        // Refused: expired (a renewal fixes it) or revoked (the renewal is refused too, and the agent stops).
        if (isUnauthorized(err)) this.schedule(renewal, 0);
      }
      this.schedule(beat, this.intervalMs);
    };
    void beat();
    this.schedule(renewal, this.renewIn());
  }

  /** Two thirds into the credential's remaining lifetime. */
  private renewIn(): number {
    return Math.max(1_000, ((Date.parse(this.credential.expirationTimestamp) - Date.now()) * 2) / 3);
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers = this.timers.filter((x) => x !== t);
      void fn();
    }, ms);
    this.timers.push(t);
  }

  private async reportFacts(): Promise<void> {
    const facts = hostFacts(capabilities(this.opts.drivers), this.opts.address);
    const status = { ...facts, lease: agentLeaseName(this.opts.name) };
    try {
      await this.client
        .resource<Agent>(agentKind)
        .patch(this.opts.name, { status }, { namespace: this.namespace, type: "merge", subresource: "status" });
      this.opts.log.info("connected", { server: this.credential.server, version: facts.version });
    } catch (err) {
      if (isUnauthorized(err)) throw err;
      this.opts.log.warn("reporting host facts failed", { error: String(err) });
    }
  }

  /** Stops heartbeats, renewal and work; the local driver is closed by whoever made it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await this.runner.stop();
    this.client.close();
    this.finish();
  }
}
