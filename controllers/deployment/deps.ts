// What the deployment reconciler reads and writes through: informer caches for objects, the
// driver pool for targets, the lock, the artifact store, and status writes.
import type { Canary, CanarySpec } from "../../crds/canary.ts";
import type { Deployment, GeneratedArtifact } from "../../crds/deployment.ts";
import type { Environment } from "../../crds/environment.ts";
import type { EvidencePacketSpec } from "../../crds/evidence-packet.ts";
import type { Release } from "../../crds/release.ts";
import type { Target } from "../../crds/target.ts";
import type { ApplyContext, Driver, RenderedArtifact } from "../../sdk/plugins/driver.ts";
import type { EventNote, Logger } from "../runtime/index.ts";
import type { EnvironmentLocks } from "./lock.ts";
import type { PortRange } from "./ports.ts";

/** The reconciler's view of the world. */
export interface DeploymentDeps {
  deployment(namespace: string, name: string): Deployment | undefined;
  deployments(namespace: string): Deployment[];
  environment(namespace: string, name: string): Environment | undefined;
  release(namespace: string, name: string): Release | undefined;
  target(namespace: string, name: string): Target | undefined;
  targets(namespace: string): Target[];
  drivers: { get(target: Target): Promise<Driver> };
  applyContext(target: Target, release: Release): ApplyContext;
  storeArtifacts(
    namespace: string,
    target: string,
    rendered: readonly RenderedArtifact[],
  ): Promise<GeneratedArtifact[]>;
  locks: Pick<EnvironmentLocks, "acquire" | "release">;
  /** Writes status; `passed` are events of states this reconcile went through without writing them. */
  writeStatus(d: Deployment, passed?: EventNote[]): Promise<void>;
  /** Creates an EvidencePacket (the server seals it) unless it exists; resolves with its name. */
  recordEvidence(
    namespace: string,
    name: string,
    spec: EvidencePacketSpec,
    labels: Record<string, string>,
  ): Promise<string>;
  /**
   * Canaries: the Canary strategy's own (cached, create, read from the server, patch its spec) and
   * an environment's standalone ones, whose landings count in its history.
   */
  canaries: CanaryClient;
  ports: PortRange;
  now: () => number;
  log: Logger;
}

/** What a deployment with the Canary strategy does to its Canary. */
export interface CanaryClient {
  cached(namespace: string, name: string): Canary | undefined;
  /** Every cached Canary of one environment: standalone ones land releases and own units too. */
  inEnvironment(namespace: string, environment: string): Canary[];
  /** Creates `canary`; rejects with the API's AlreadyExists when one of its name exists. */
  create(canary: Canary): Promise<Canary>;
  read(namespace: string, name: string): Promise<Canary | undefined>;
  patchSpec(namespace: string, name: string, spec: Partial<CanarySpec>): Promise<void>;
}
