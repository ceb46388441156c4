// Leader election through a Lease object, as client-go's leaderelection does it: candidates try to
// take the lease every retry period; the holder renews it every retry period and steps down when
// it could not renew for renewDeadline; writes use the lease's resourceVersion, so two candidates
// can never both succeed. A lease counts as expired leaseDuration after the earlier of its
// renewTime and the moment this candidate first saw that renewal, so a follower takes over one
// lease duration after the leader's last renewal while tolerating clock skew of up to
// leaseDuration - renewDeadline between holder and candidate.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { isAlreadyExists, isConflict, isNotFound } from "../../crds/errors.ts";
import type { Lease } from "../../crds/lease.ts";
import { sleep } from "../../sdk/backoff.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { errorFields, stderrLogger, type Logger } from "./logger.ts";

/** Which lease to hold, as whom, and the timings (client-go's defaults). */
export interface LeaderElectionOptions {
  leaseName: string;
  /** Namespace of the lease; default "default". */
  namespace?: string;
  /** Unique per candidate process; default `hostname_uuid`. */
  identity?: string;
  /** How long others wait after the last renewal before taking over; default 15 s. */
  leaseDurationMs?: number;
  /** The leader steps down when it could not renew for this long; default 10 s (< leaseDuration). */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew; default 2 s. */
  retryPeriodMs?: number;
  /** On stop, clear the holder so a follower takes over at once; default true. */
  releaseOnStop?: boolean;
}

/** Told when leadership starts and ends. */
export interface LeaderCallbacks {
  onStartedLeading(): void;
  /** Awaited before the lease is released, so work can finish before a successor starts. */
  onStoppedLeading(): void | Promise<void>;
}

/** The calls leader election makes on Leases (a ResourceClient<Lease> has them). */
export type LeaseClient = Pick<ResourceClient<Lease>, "get" | "create" | "update" | "apiVersion">;

type Attempt = "held" | "other" | "failed";

/** One candidate for one lease. */
export class LeaderElector {
  readonly identity: string;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private leading = false;
  private observed?: { rv: string; at: number; holder: string };
  private expiresAt = 0;

  constructor(
    private readonly leases: LeaseClient,
    readonly opts: LeaderElectionOptions,
    private readonly log: Logger = stderrLogger,
  ) {
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryMs = opts.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseMs) throw new RangeError("renewDeadlineMs must be less than leaseDurationMs");
    if (this.retryMs >= this.renewDeadlineMs) throw new RangeError("retryPeriodMs must be less than renewDeadlineMs");
  }

  /** Whether this candidate holds the lease now. */
  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until elected, then renews until `signal` aborts ("stopped", releasing the lease
   * unless told not to) or renewal fails for renewDeadline or another holder appears ("lost").
   */
  async run(signal: AbortSignal, cb: LeaderCallbacks): Promise<"stopped" | "lost"> {
    while (!signal.aborted && (await this.attempt(signal)) !== "held") await sleep(this.campaignDelay(), signal);
    if (signal.aborted) return "stopped";
    this.leading = true;
    this.log.info("became leader", { lease: this.opts.leaseName, identity: this.identity });
    cb.onStartedLeading();
    let renewed = performance.now();
    let outcome: "stopped" | "lost" = "stopped";
    while (!signal.aborted) {
      await sleep(this.retryMs, signal);
      if (signal.aborted) break;
      const left = this.renewDeadlineMs - (performance.now() - renewed);
      const result = await this.attempt(AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, Math.ceil(left)))]));
      if (result === "held") renewed = performance.now();
      if (signal.aborted) break;
      if (result === "other" || performance.now() - renewed >= this.renewDeadlineMs) {
        outcome = "lost";
        break;
      }
    }
    this.leading = false;
    this.log[outcome === "lost" ? "error" : "info"](outcome === "lost" ? "lost leadership" : "stopped leading", {
      lease: this.opts.leaseName,
      identity: this.identity,
    });
    await cb.onStoppedLeading();
    if (outcome === "stopped" && (this.opts.releaseOnStop ?? true)) await this.release();
    return outcome;
  }

  /** Time until the next campaign attempt: the retry period, or sooner if the lease expires sooner. */
  private campaignDelay(): number {
    const retry = this.retryMs * (1 + Math.random() * 0.2);
    return Math.max(0, Math.min(retry, this.expiresAt - Date.now() + 5));
  }

  /** One try to acquire or renew. */
  private async attempt(signal: AbortSignal): Promise<Attempt> {
    const now = new Date();
    const name = this.opts.leaseName;
    const namespace = this.opts.namespace ?? "default";
    try {
      let lease: Lease;
      try {
        lease = await this.leases.get(name, { namespace, signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const spec = {
          holderIdentity: this.identity,
          leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
          acquireTime: now.toISOString(),
          renewTime: now.toISOString(),
          leaseTransitions: 0,
        };
        await this.leases.create(
          { apiVersion: this.leases.apiVersion, kind: "Lease", metadata: { name, namespace }, spec } as Lease,
          { signal },
        );
        this.observe(this.identity, "", now.getTime());
        return "held";
      }
      const holder = lease.spec.holderIdentity ?? "";
      this.observe(
        holder,
        lease.metadata.resourceVersion ?? "",
        Date.parse(lease.spec.renewTime ?? ""),
        lease.spec.leaseDurationSeconds,
      );
      if (holder && holder !== this.identity && Date.now() < this.expiresAt) return "other";
      const mine = holder === this.identity;
      const spec = {
        ...lease.spec,
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
        renewTime: now.toISOString(),
        acquireTime: mine ? (lease.spec.acquireTime ?? now.toISOString()) : now.toISOString(),
        leaseTransitions: (lease.spec.leaseTransitions ?? 0) + (mine || !holder ? 0 : 1),
      };
      const updated = await this.leases.update({ ...lease, spec }, { signal });
      this.observe(this.identity, updated.metadata.resourceVersion ?? "", now.getTime());
      return "held";
    } catch (err) {
      if (!isConflict(err) && !isAlreadyExists(err) && !signal.aborted)
        this.log.error("lease attempt failed", { lease: name, ...errorFields(err) });
      return "failed";
    }
  }

  /** Records the lease as seen now and computes when it expires. */
  private observe(holder: string, rv: string, renewedAt: number, durationSeconds?: number): void {
    if (!this.observed || this.observed.rv !== rv || rv === "") {
      if (this.observed?.holder !== holder && holder)
        this.log.info("new leader observed", { lease: this.opts.leaseName, holder });
      this.observed = { rv, at: Date.now(), holder };
    }
    const since = Number.isFinite(renewedAt) ? Math.min(renewedAt, this.observed.at) : this.observed.at;
    this.expiresAt = since + (durationSeconds ?? this.leaseMs / 1000) * 1000;
  }

  /** Gives the lease up (holder cleared, 1 s duration) if this candidate still holds it. */
  private async release(): Promise<void> {
    const namespace = this.opts.namespace ?? "default";
    try {
      const lease = await this.leases.get(this.opts.leaseName, { namespace });
      if (lease.spec.holderIdentity !== this.identity) return;
      const spec = {
        ...lease.spec,
        holderIdentity: undefined,
        leaseDurationSeconds: 1,
        renewTime: new Date().toISOString(),
      };
      await this.leases.update({ ...lease, spec });
    } catch (err) {
      this.log.error("could not release the lease", { lease: this.opts.leaseName, ...errorFields(err) });
    }
  }
}
