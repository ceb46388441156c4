// A controller: informer events -> predicates -> requests -> a deduplicating workqueue -> a
// bounded pool of workers calling the reconciler. Exceptions (anything thrown, even non-Errors)
// are caught per request: retried with backoff, or dropped when terminal.
import PQueue from "p-queue";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { InformerFactory, InformerScope } from "../../sdk/informer-factory.ts";
import type { Informer } from "../../sdk/informer.ts";
import type { RateLimiter } from "../../sdk/rate-limiter.ts";
import { WorkQueue } from "../../sdk/workqueue.ts";
import { enqueueObject, enqueueOwner, type EventMapper } from "./handler.ts";
import { errorFields, stderrLogger, type Logger } from "./logger.ts";
import { passes, type Predicate } from "./predicate.ts";
import { isTerminalError, requestKey, type Reconciler, type Request } from "./reconciler.ts";

/** A kind the controller watches besides its primary kind, and how its events become requests. */
export interface WatchSpec<T extends StellaObject = StellaObject> {
  kind: KindInfo;
  map: EventMapper<T>;
  predicates?: Predicate<T>[];
}

/** What a controller reconciles and how. */
export interface ControllerOptions {
  /** Names the controller in logs. */
  name: string;
  /** The primary kind: each of its objects is a request. */
  for: KindInfo;
  /** Predicates on the primary kind's events, e.g. generationChanged(). */
  predicates?: Predicate[];
  /** Child kinds: a change to a child wakes its controlling owner of the primary kind. */
  owns?: KindInfo[];
  /** Other kinds with their own mapping to requests. */
  watches?: WatchSpec[];
  reconciler: Reconciler;
  /** Requests reconciled at once (never two for the same object); default 1. */
  concurrency?: number;
  rateLimiter?: RateLimiter<string>;
  /** Restrict every informer to one namespace. */
  namespace?: string;
  log?: Logger;
}

/** Counters since start. */
export interface ControllerStats {
  reconciles: number;
  errors: number;
  terminalErrors: number;
  requeueAfters: number;
}

/** Runs one reconciler over the events of its kinds. */
export class Controller {
  readonly queue: WorkQueue<string>;
  readonly stats: ControllerStats = { reconciles: 0, errors: 0, terminalErrors: 0, requeueAfters: 0 };
  private readonly log: Logger;
  private readonly removers: (() => void)[] = [];
  private running?: Promise<void>;
  private readonly stopping = new AbortController();

  constructor(
    private readonly informers: InformerFactory,
    readonly opts: ControllerOptions,
  ) {
    this.queue = new WorkQueue<string>({ rateLimiter: opts.rateLimiter });
    this.log = opts.log ?? stderrLogger;
  }

  /** The informer of the primary kind, whose cache the reconciler should read. */
  get informer(): Informer {
    return this.informers.informerFor(this.opts.for, this.scope());
  }

  /**
   * Wires the event handlers, waits for every informer to sync, then reconciles until stop().
   * Resolves once stopped and every in-flight reconcile has finished.
   */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /** Stops taking requests and waits for in-flight reconciles; queued requests are dropped. */
  async stop(): Promise<void> {
    for (const remove of this.removers.splice(0)) remove();
    this.stopping.abort();
    this.queue.shutdown();
    await this.running;
  }

  private async run(): Promise<void> {
    const { opts } = this;
    if (this.stopping.signal.aborted) return;
    this.watch(opts.for, enqueueObject(), opts.predicates ?? []);
    for (const kind of opts.owns ?? []) this.watch(kind, enqueueOwner(opts.for));
    for (const w of opts.watches ?? []) this.watch(w.kind, w.map as EventMapper, (w.predicates ?? []) as Predicate[]);
    this.informers.start();
    // Every cache of the process (those this controller watches among them): a reconciler also
    // reads caches it does not watch (the deployment controller's Targets), and an unsynced one
    // would look like objects that were deleted (controller-runtime's manager waits for all too).
    const synced = await this.informers.waitForSync(this.stopping.signal);
    if (!synced || this.stopping.signal.aborted) return;
    this.log.info("controller started", { controller: opts.name, workers: opts.concurrency ?? 1 });
    await this.work(Math.max(1, opts.concurrency ?? 1));
    this.log.info("controller stopped", { controller: opts.name });
  }

  private watch(kind: KindInfo, map: EventMapper, preds: Predicate[] = []): void {
    const informer = this.informers.informerFor(kind, this.scope());
    const enqueue = (...objs: StellaObject[]) => {
      for (const key of new Set(objs.flatMap((o) => map(o).map(requestKey)))) this.queue.add(key);
    };
    this.removers.push(
      informer.addHandler({
        onAdd: (o) => passes.create(preds, o) && enqueue(o),
        onUpdate: (old, o) => passes.update(preds, old, o) && enqueue(old, o),
        onDelete: (o) => passes.delete(preds, o) && enqueue(o),
      }),
    );
  }

  private async work(concurrency: number): Promise<void> {
    const pool = new PQueue({ concurrency });
    for (;;) {
      while (pool.pending >= concurrency) await new Promise((r) => pool.once("next", r));
      const key = await this.queue.get();
      if (key === undefined) break;
      void pool.add(() => this.process(key));
    }
    await pool.onIdle();
  }

  private async process(key: string): Promise<void> {
    const slash = key.indexOf("/");
    const req: Request =
      slash < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    try {
      this.stats.reconciles++;
      const result = await this.opts.reconciler.reconcile(req);
      this.queue.forget(key);
      if (result && result.requeueAfter !== undefined && result.requeueAfter > 0) {
        this.stats.requeueAfters++;
        this.queue.addAfter(key, result.requeueAfter);
      }
    } catch (err) {
      if (isTerminalError(err)) {
        this.stats.terminalErrors++;
        this.queue.forget(key);
        this.log.error("reconcile failed terminally; not retrying", {
          controller: this.opts.name,
          ...req,
          ...errorFields(err),
        });
      } else {
        this.stats.errors++;
        this.queue.addRateLimited(key);
        this.log.error("reconcile failed; retrying with backoff", {
          controller: this.opts.name,
          ...req,
          retries: this.queue.numRequeues(key),
          ...errorFields(err),
        });
      }
    } finally {
      this.queue.done(key);
    }
  }

  private scope(): InformerScope {
    return this.opts.namespace === undefined ? {} : { namespace: this.opts.namespace };
  }
}
