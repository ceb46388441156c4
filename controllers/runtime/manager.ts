// The manager: one client, one set of shared informers, the controllers of a process, and
// (optionally) leader election. Caches start at once so a follower is warm when it takes over;
// controllers run only while this process leads. Losing leadership stops everything and makes
// start() reject with LeadershipLostError: exit the process then, as controller-runtime does.
import type { StellaObject } from "../../crds/meta.ts";
import { leaseKind, type Lease } from "../../crds/lease.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Client } from "../../sdk/client.ts";
import { clientSink, Recorder, type EventRecorder, type EventSink } from "../../sdk/events/index.ts";
import { InformerFactory, type InformerScope } from "../../sdk/informer-factory.ts";
import type { Informer } from "../../sdk/informer.ts";
import { Controller, type ControllerOptions } from "./controller.ts";
import { LeaderElector, type LeaderElectionOptions } from "./leader-election.ts";
import { errorFields, stderrLogger, type Logger } from "./logger.ts";

/** How a manager runs. */
export interface ManagerOptions {
  client: Client;
  /** Run controllers only while holding this lease. */
  leaderElection?: LeaderElectionOptions;
  log?: Logger;
  /** Where recorders write events; the client's core v1 events when absent. */
  events?: EventSink;
}

/** Leadership ended while the manager was running; the process should exit. */
export class LeadershipLostError extends Error {
  override readonly name = "LeadershipLostError";
  constructor(
    readonly lease: string,
    readonly identity: string,
  ) {
    super(`lost leadership of lease ${lease} (identity ${identity})`);
  }
}

/** Runs controllers over shared informers. */
export class Manager {
  readonly client: Client;
  readonly informers: InformerFactory;
  readonly elector?: LeaderElector;
  private readonly controllers: Controller[] = [];
  private readonly recorders = new Map<string, Recorder>();
  private readonly events: EventSink;
  private readonly log: Logger;
  private readonly stopping = new AbortController();
  private running?: Promise<void>;
  private leading = false;
  private readonly electedSignal: { promise: Promise<void>; resolve: () => void };

  constructor(opts: ManagerOptions) {
    this.client = opts.client;
    this.log = opts.log ?? stderrLogger;
    this.events = opts.events ?? clientSink(opts.client);
    this.informers = new InformerFactory(opts.client, {
      onError: (err) => this.log.error("informer error; retrying", errorFields(err)),
    });
    let resolve!: () => void;
    this.electedSignal = { promise: new Promise<void>((r) => (resolve = r)), resolve };
    if (opts.leaderElection)
      this.elector = new LeaderElector(opts.client.resource<Lease>(leaseKind), opts.leaderElection, this.log);
  }

  /** Adds a controller (before or after start); it shares this manager's informers. */
  addController(opts: ControllerOptions): Controller {
    const c = new Controller(this.informers, { log: this.log, ...opts });
    this.controllers.push(c);
    if (this.leading) void this.runController(c);
    return c;
  }

  /**
   * The event recorder of one controller: its events name it as source.component, `NAME-controller`
   * (`deployment` -> `deployment-controller`). One recorder per name, so repeats aggregate across calls.
   */
  recorder(name: string): EventRecorder {
    const component = name.endsWith("-controller") ? name : `${name}-controller`;
    let r = this.recorders.get(component);
    if (!r) {
      const onError = (err: unknown, e: object) =>
        this.log.error("event dropped", { component, ...e, ...errorFields(err) });
      r = new Recorder(this.events, { component, onError });
      this.recorders.set(component, r);
    }
    return r;
  }

  /** The shared informer for a kind; its cache is what reconcilers read. */
  informer<T extends StellaObject = StellaObject>(kind: KindInfo, scope?: InformerScope): Informer<T> {
    return this.informers.informerFor<T>(kind, scope);
  }

  /** Whether controllers are running (always true without leader election, once started). */
  isLeader(): boolean {
    return this.leading;
  }

  /** Resolves when this manager starts running its controllers (at start without leader election). */
  elected(): Promise<void> {
    return this.electedSignal.promise;
  }

  /**
   * Starts informers, waits for leadership if configured, then runs the controllers. Resolves
   * after stop() has shut everything down; rejects with LeadershipLostError when leadership is lost.
   */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /** Graceful shutdown: controllers finish in-flight reconciles, informers stop, the lease is released. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running?.catch(() => {});
    // Events already recorded go out unless the API is gone: wait a little, not forever.
    const flushed = Promise.all([...this.recorders.values()].map((r) => r.flush()));
    await Promise.race([flushed, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  private async run(): Promise<void> {
    this.informers.start();
    const lead = () => {
      this.leading = true;
      for (const c of this.controllers) void this.runController(c);
      this.electedSignal.resolve();
    };
    if (!this.elector) {
      lead();
      await waitAbort(this.stopping.signal);
      await this.stopControllers();
      await this.informers.stop();
      return;
    }
    const outcome = await this.elector.run(this.stopping.signal, {
      onStartedLeading: lead,
      onStoppedLeading: () => this.stopControllers(),
    });
    await this.informers.stop();
    if (outcome === "lost") throw new LeadershipLostError(this.elector.opts.leaseName, this.elector.identity);
  }

  private async runController(c: Controller): Promise<void> {
    try {
      await c.start();
    } catch (err) {
      this.log.error("controller crashed", { controller: c.opts.name, ...errorFields(err) });
    }
  }

  private async stopControllers(): Promise<void> {
    this.leading = false;
    await Promise.all(this.controllers.map((c) => c.stop()));
  }
}

const waitAbort = (signal: AbortSignal) =>
  new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true }),
  );
