// The driver plugin contract. A driver runs the components of releases on one Target: it observes
// what Stella runs there (through the labels it put on everything, never from memory), renders the
// artifacts a set of units needs (container specs, a compose file), applies them, removes units,
// and probes a unit's health once. Thresholds, deadlines, strategies and rollbacks are the
// deployment controller's; a driver never decides whether a rollout goes on.
import type { StrategyType } from "../../crds/deployment-strategy.ts";
import type { HealthCheck } from "../../crds/health-check.ts";
import type { Target } from "../../crds/target.ts";

/** Labels on everything Stella runs; with them a restarted controller rediscovers its units. */
export const UnitLabels = {
  managedBy: "stella.io/managed-by",
  namespace: "stella.io/namespace",
  environment: "stella.io/environment",
  release: "stella.io/release",
  deployment: "stella.io/deployment",
  component: "stella.io/component",
  slot: "stella.io/slot",
  target: "stella.io/target",
  /** sha256 of the artifact the unit was created from: same digest, same unit. */
  artifact: "stella.io/artifact",
  /** The unit's ports as `name=hostPort,...`. */
  ports: "stella.io/ports",
} as const;

/** The value of UnitLabels.managedBy. */
export const MANAGED_BY = "stella";

/**
 * The two side-by-side places a component can run on one target. A deployment starts the new
 * release in the slot the current one does not use, so both can run at once (blue-green, and
 * rolling with maxUnavailable 0) and a rollback finds the old one still there; except on a
 * platform that rolls Rolling and AllAtOnce out in place (DriverCapabilities.rollsInPlace).
 */
export type Slot = "blue" | "green";

/** A port of a unit: its name, the port inside the container, and the host port Stella assigned. */
export interface UnitPort {
  name: string;
  containerPort: number;
  hostPort: number;
  protocol?: "TCP" | "UDP";
}

/** An environment variable: a literal, or a Secret key the driver reads only when it applies. */
export interface UnitEnv {
  name: string;
  value?: string;
  secretKeyRef?: { name: string; key: string };
}

/** One component of a release at a digest, as it should run on one target. */
export interface DesiredUnit {
  component: string;
  /** `repository@sha256:...`; never a tag. */
  imageRef: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  user?: string;
  env: UnitEnv[];
  ports: UnitPort[];
  healthCheck?: HealthCheck;
}

/** The units of one release a deployment puts on one target, in one slot; applied together. */
export interface UnitSet {
  namespace: string;
  environment: string;
  release: string;
  deployment: string;
  target: string;
  slot: Slot;
  units: DesiredUnit[];
  /**
   * The deployment's strategy, for drivers whose platform rolls a unit set out by itself (Nomad's
   * update block, ECS deployments): they render it into the artifact. Others ignore it.
   */
  strategy?: UnitStrategy;
}

/** The part of a deployment strategy a platform that rolls out natively is given. */
export interface UnitStrategy {
  type: StrategyType;
  /** Rolling: how many units of a component the platform replaces at once. */
  maxParallel?: number;
  /** Rolling: how many of a component's units may be down at once; 0 starts new ones before stopping old. */
  maxUnavailable?: number;
}

/** What a driver generated for a unit set: exact bytes, stored content-addressed. */
export interface RenderedArtifact {
  /** `container-spec` (one per component), `compose-file`, `nomad-job`, `ecs-task-definition`. */
  type: string;
  /** The component it is for; absent when it covers the whole set (a compose file). */
  component?: string;
  mediaType: string;
  /** UTF-8 text; holds Secret references, never Secret values. */
  content: string;
}

/** A unit as observed on the target, read back from the backend and its labels. */
export interface ObservedUnit {
  /** The backend's id (container id). */
  id: string;
  /** The backend's name (container name). */
  name: string;
  namespace: string;
  environment: string;
  release: string;
  deployment: string;
  /** The Target it belongs to (UnitLabels.target): several targets may share one engine. */
  target: string;
  component: string;
  slot: Slot;
  imageRef: string;
  /** Digest of the artifact it was created from (UnitLabels.artifact). */
  artifact?: string;
  /** The backend's word for its state: running, exited, created, restarting, ... */
  state: string;
  running: boolean;
  ports: UnitPort[];
  /**
   * The address the unit answers on (its ports' host), as the platform that placed it says: the
   * Nomad allocation's reserved-port address, the ECS task's ENI address. Absent when the target's
   * own settings say where units answer (docker, compose, ssh) or the platform did not say.
   */
  host?: string;
  /** Set when the backend says why it is not running (exit code, OOM, error). */
  message?: string;
  /**
   * Health as the platform itself judged it (Nomad allocation health, ECS task health), for
   * drivers with `capabilities.nativeRollout`: true or false once decided, absent until then.
   */
  platformHealthy?: boolean;
}

/** What narrows observe(); every field given must match. */
export interface UnitFilter {
  namespace?: string;
  environment?: string;
  release?: string;
  deployment?: string;
  target?: string;
  slot?: Slot;
}

/**
 * What a platform that runs rollouts by itself reports about one of Stella's workloads there (a
 * Nomad job, an ECS service): the platform's own view, for target status and `stella describe`.
 */
export interface PlatformRollout {
  /** The platform's object: Nomad job id, ECS service name. */
  id: string;
  namespace: string;
  environment: string;
  release: string;
  /** Its version as the platform counts it: Nomad job version, ECS task definition revision. */
  version: string;
  /** The platform's rollout: Nomad deployment id, ECS deployment id. */
  deployment?: string;
  /** The platform's word for the rollout: running, successful, failed, COMPLETED, ... */
  status: string;
  message: string;
  desired: number;
  healthy: number;
  unhealthy: number;
  /** Set when the object was changed outside Stella: says what differs. */
  drift?: string;
}

/** What a driver can do beyond the required verbs. */
export interface DriverCapabilities {
  /**
   * The platform schedules and rolls out units itself (canaries, promotion, automatic revert):
   * the driver renders the strategy into its artifact, `remove` of the old units promotes and of
   * the new ones reverts, and units carry `platformHealthy`. Deadlines, aborts and the decision to
   * roll back stay with the deployment controller.
   */
  nativeRollout: boolean;
  /**
   * Rolling replaces a component's units where they run (an ECS rolling update of the one service
   * with its deployment circuit breaker): the next release goes into the slot the current one runs
   * in, so apply of a set in that slot is the platform's own in-place rollout, and a rollback is
   * the previous release applied in that slot the same way. Absent or false: every release goes
   * into the other slot, beside the one it replaces.
   */
  rollsInPlace?: boolean;
  /**
   * Which exec probes check() can run. `any` (the default): any command, in the unit. `declared`:
   * only the unit's own health check, which the platform runs itself (ECS container health checks)
   * and whose verdict check() reports; any other exec probe is answered unhealthy, saying why.
   */
  execProbes?: "any" | "declared";
}

/** What a probe of the backend found. */
export interface PlatformInfo {
  name: string;
  version?: string;
  os?: string;
  arch?: string;
}

/** The outcome of one health probe. */
export interface ProbeResult {
  healthy: boolean;
  /** Says what was probed and what came back, e.g. `GET http://127.0.0.1:20014/healthz: 404`. */
  message: string;
}

/** Registry credentials for pulling an image, by registry host. */
export interface RegistryCredential {
  username: string;
  password: string;
}

/** What apply may read: Secret values (resolved only here) and pull credentials. */
export interface ApplyContext {
  /** The value of a Secret key of the unit's namespace; throws DriverError(SecretNotFound) when missing. */
  secretValue(ref: { name: string; key: string }): Promise<string>;
  /** Credentials for a registry host (`127.0.0.1:5001`), if the target or release has any. */
  pullCredential(registry: string): Promise<RegistryCredential | undefined>;
  /** Reports long steps (pulls) as they happen. */
  progress?(message: string): void;
  signal?: AbortSignal;
}

/**
 * A driver bound to one Target. Every method is idempotent and safe to call again after a crash:
 * apply leaves a unit that already runs from the same artifact alone and replaces one that runs
 * from another; remove ignores what is already gone.
 */
export interface Driver {
  /** The driver's name, as Target.spec.driver gives it. */
  readonly name: string;
  /** Reaches the backend; throws DriverError(Unreachable) when it cannot. */
  probe(signal?: AbortSignal): Promise<PlatformInfo>;
  /** The units Stella runs on the target that match `filter`. */
  observe(filter?: UnitFilter, signal?: AbortSignal): Promise<ObservedUnit[]>;
  /** The artifacts apply would generate for `set`: deterministic, no I/O. */
  render(set: UnitSet): RenderedArtifact[];
  /** Makes every unit of `set` run (pulling by digest first); resolves with them as observed. */
  apply(set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]>;
  /** Stops and removes these units. */
  remove(units: readonly ObservedUnit[], signal?: AbortSignal): Promise<void>;
  /** Probes one unit once with `check` (its http, tcp or exec probe and timeout). */
  check(unit: ObservedUnit, check: HealthCheck, signal?: AbortSignal): Promise<ProbeResult>;
  /** Releases connections. */
  close(): Promise<void>;
  /** Optional abilities; absent means none. */
  readonly capabilities?: DriverCapabilities;
  /** The platform's view of Stella's workloads there (drivers with nativeRollout). */
  rollouts?(filter?: UnitFilter, signal?: AbortSignal): Promise<PlatformRollout[]>;
  /**
   * Promotes what the platform still holds back of `filter.release` in the filter's scope (drivers
   * with nativeRollout: a Nomad deployment's canaries, an ECS blue/green deployment at its hook),
   * once it is healthy; a no-op where nothing of that release waits. Removing the old units
   * promotes too, but units that stopped on their own are not observed and so never removed: the
   * scale-down calls this after removing what it saw, so no rollout is left waiting for a promotion
   * that would never come (ECS would roll it back at the hook's timeout).
   */
  promote?(filter: UnitFilter & { release: string }, signal?: AbortSignal): Promise<void>;
}

/** What a driver plugin is given to bind to a target. */
export interface DriverContext {
  /** A Secret key's value from the target's namespace (connection credentials, TLS material). */
  secretValue(ref: { name: string; key: string }): Promise<string>;
}

/** A driver plugin: builds a Driver for a Target of its name. */
export interface DriverPlugin {
  readonly name: string;
  create(target: Target, ctx: DriverContext): Promise<Driver>;
}

/** Why a driver call failed, as a condition reason. */
export const DriverReasons = {
  /** The backend did not answer (socket missing, connection refused, timeout). */
  Unreachable: "Unreachable",
  /** The image could not be pulled (missing digest, denied, registry down). */
  ImagePullFailed: "ImagePullFailed",
  /** The backend refused the unit (bad command, port in use, invalid spec). */
  ApplyFailed: "ApplyFailed",
  /** A Secret the unit or target names does not exist or lacks the key. */
  SecretNotFound: "SecretNotFound",
  /** The target names a driver that is not available in this build. */
  DriverNotFound: "DriverNotFound",
  /** The target's settings cannot be used (bad TLS material, missing block). */
  InvalidTarget: "InvalidTarget",
  /** The platform refused the target's credentials (bad token, access denied). */
  Unauthorized: "Unauthorized",
  /** An SSH host presented another key than the one pinned in the target: nothing was sent to it. */
  HostKeyMismatch: "HostKeyMismatch",
} as const;
export type DriverReason = (typeof DriverReasons)[keyof typeof DriverReasons];

/** A failed driver call; `transient` says whether trying again later may succeed. */
export class DriverError extends Error {
  override readonly name = "DriverError";
  constructor(
    readonly reason: DriverReason,
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether `err` is a DriverError. */
export const isDriverError = (err: unknown): err is DriverError => err instanceof DriverError;
