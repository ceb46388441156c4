// An in-memory API for the promotion reconciler's unit tests: promotions with resourceVersion-
// checked status writes (through the real PromotionStore), deployments created with AlreadyExists,
// write-once evidence, and notifiers and gates that record their calls.
import type { Deployment } from "../../../crds/deployment.ts";
import type { Environment } from "../../../crds/environment.ts";
import { ApiError } from "../../../crds/errors.ts";
import type { EvidencePacketSpec } from "../../../crds/evidence-packet.ts";
import type { Promotion } from "../../../crds/promotion.ts";
import type { Release } from "../../../crds/release.ts";
import type { Target } from "../../../crds/target.ts";
import type { Gate } from "../../../sdk/plugins/gate.ts";
import type { Notifier } from "../../../sdk/plugins/notifier.ts";
import { silentLogger } from "../../runtime/index.ts";
import { builtinGates, gatesByType } from "../../gates/index.ts";
import { DEFAULT_LIMITS } from "../controller.ts";
import type { PromotionDeps, PromotionLimits } from "../deps.ts";
import { PromotionReconciler } from "../reconciler.ts";
import { PromotionStore } from "../status-store.ts";

const key = (o: { metadata: { name?: string } }) => o.metadata.name ?? "";

/** One namespace ("shop") in memory. */
export class FakeWorld {
  promotions = new Map<string, Promotion>();
  environments = new Map<string, Environment>();
  releases = new Map<string, Release>();
  deployments = new Map<string, Deployment>();
  targets = new Map<string, Target>();
  evidence = new Map<string, EvidencePacketSpec>();
  /** Names of the evidence packets in creation order. */
  evidenceOrder: string[] = [];
  /** Every createDeployment call, AlreadyExists ones included. */
  creates = 0;
  aborts: string[] = [];
  statusWrites = 0;
  /** Phase and message of every status written, in order. */
  readonly written: { phase?: string; message?: string }[] = [];
  /** Runs before a status write is checked: lets a test write concurrently (the apiserver appending an approval). */
  beforeStatusWrite?: (stored: Promotion) => void;
  /** When set, the reconciler's cache shows no deployments (a restarted controller whose cache lags). */
  hideDeploymentsFromCache = false;
  now = Date.parse("2025-01-01T12:00:00Z");
  private rv = 100;

  constructor(
    readonly gates: readonly Gate[] = [],
    readonly notifiers: readonly Notifier[] = [],
    readonly limits: Partial<PromotionLimits> = {},
  ) {}

  /** Adds or replaces objects, as a user (or another controller) writing them. */
  put(...objs: (Promotion | Environment | Release | Deployment | Target)[]): void {
    for (const o of objs) {
      const copy = structuredClone({ ...o, metadata: { ...o.metadata, resourceVersion: String(++this.rv) } });
      if (o.kind === "Promotion") this.promotions.set(key(o), copy as Promotion);
      else if (o.kind === "Environment") this.environments.set(key(o), copy as Environment);
      else if (o.kind === "Release") this.releases.set(key(o), copy as Release);
      else if (o.kind === "Deployment") this.deployments.set(key(o), copy as Deployment);
      else this.targets.set(key(o), copy as Target);
    }
  }

  /** Changes a stored deployment's status (as the deployment controller would). */
  setDeployment(name: string, status: Deployment["status"]): void {
    const d = this.deployments.get(name);
    if (!d) throw new Error(`no deployment ${name}`);
    this.put({ ...d, status });
  }

  promotion(name: string): Promotion {
    return this.promotions.get(name)!;
  }

  /** A reconciler over this world (a new one is a restarted controller: nothing remembered). */
  reconciler(): PromotionReconciler {
    return new PromotionReconciler(this.deps());
  }

  async reconcile(name: string, times = 1) {
    let last;
    for (let i = 0; i < times; i++) last = await this.reconciler().reconcile({ namespace: "shop", name });
    return last;
  }

  deps(): PromotionDeps {
    const store = new PromotionStore(
      {
        get: async (name) => {
          const p = this.promotions.get(name);
          if (!p) throw new ApiError(404, "NotFound", `promotions "${name}" not found`);
          return structuredClone(p);
        },
        updateStatus: async (obj) => {
          const stored = this.promotions.get(key(obj));
          if (!stored) throw new ApiError(404, "NotFound", "gone");
          this.beforeStatusWrite?.(stored);
          const current = this.promotions.get(key(obj))!;
          if (current.metadata.resourceVersion !== obj.metadata.resourceVersion)
            throw new ApiError(409, "Conflict", "the object has been modified");
          this.statusWrites++;
          this.written.push({ phase: obj.status?.phase, message: obj.status?.message });
          const saved = structuredClone({
            ...current,
            status: obj.status,
            metadata: { ...current.metadata, resourceVersion: String(++this.rv) },
          });
          this.promotions.set(key(obj), saved);
          return structuredClone(saved);
        },
      },
      (_, name) => structuredClone(this.promotions.get(name)),
    );
    const all = <T>(m: Map<string, T>) => [...m.values()].map((o) => structuredClone(o));
    return {
      promotion: (_, name) => store.latest("shop", name),
      promotions: () => all(this.promotions),
      environment: (_, name) => structuredClone(this.environments.get(name)),
      environments: () => all(this.environments),
      release: (_, name) => structuredClone(this.releases.get(name)),
      deployment: (_, name) =>
        this.hideDeploymentsFromCache ? undefined : structuredClone(this.deployments.get(name)),
      deployments: (_, env) => all(this.deployments).filter((d) => d.spec.environment === env),
      target: (_, name) => structuredClone(this.targets.get(name)),
      gates: gatesByType([...builtinGates, ...this.gates]),
      notifiers: new Map(this.notifiers.map((n) => [n.type, n])),
      secretValue: () => async () => "secret-value",
      createDeployment: async (d) => {
        this.creates++;
        if (this.deployments.has(key(d)))
          throw new ApiError(409, "AlreadyExists", `deployments "${key(d)}" already exists`);
        this.put({
          ...d,
          metadata: { ...d.metadata, uid: `uid-dep-${key(d)}`, creationTimestamp: new Date(this.now).toISOString() },
        });
        return structuredClone(this.deployments.get(key(d))!);
      },
      readDeployment: async (_, name) => structuredClone(this.deployments.get(name)),
      abortDeployment: async (_, name) => {
        this.aborts.push(name);
        const d = this.deployments.get(name)!;
        this.put({ ...d, spec: { ...d.spec, abort: true } });
      },
      recordEvidence: async (_, name, spec) => {
        if (!this.evidence.has(name)) {
          this.evidence.set(name, structuredClone(spec));
          this.evidenceOrder.push(name);
        }
        return name;
      },
      store,
      limits: { ...DEFAULT_LIMITS, ...this.limits },
      now: () => this.now,
      log: silentLogger,
    };
  }

  /** The evidence packets' types and outcomes in creation order. */
  evidenceSummary(): string[] {
    return this.evidenceOrder.map((n) => {
      const s = this.evidence.get(n)!;
      return `${s.type}:${s.type === "GateVerdict" ? `${(s.details as { gate: string }).gate}=` : ""}${s.decision.outcome}`;
    });
  }
}
