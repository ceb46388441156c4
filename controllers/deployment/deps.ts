// What the deployment reconciler reads and writes through: informer caches for objects, the
// driver pool for targets, the lock, the artifact store, and status writes.
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
  ports: PortRange;
  now: () => number;
  log: Logger;
}
