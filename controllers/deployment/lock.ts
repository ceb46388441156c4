// One deployment per environment at a time. The lock is a Lease named after the environment whose
// holderIdentity is the deployment holding it: creating the Lease takes a free lock atomically, a
// resourceVersion-checked update takes over one whose holder has finished or is gone, and only the
// holder deletes it. `kubectl get leases` shows who holds each environment.
import { isAlreadyExists, isConflict, isNotFound } from "../../crds/errors.ts";
import { leaseKind, type Lease } from "../../crds/lease.ts";
import type { Client } from "../../sdk/client.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";

/** The name of an environment's deployment lock. */
export const lockName = (environment: string): string => `environment-${environment}`;

/** The outcome of trying to take a lock. */
export type LockResult = { held: true } | { held: false; holder: string };

/** The deployment locks of environments. */
export class EnvironmentLocks {
  private readonly leases: ResourceClient<Lease>;

  constructor(client: Client) {
    this.leases = client.resource<Lease>(leaseKind);
  }

  /**
   * Takes the lock of `environment` for `deployment`, or says who holds it. `isLive(holder)` tells
   * whether the current holder still needs it; a holder that does not is replaced.
   */
  async acquire(
    namespace: string,
    environment: string,
    deployment: string,
    isLive: (holder: string) => boolean,
  ): Promise<LockResult> {
    const name = lockName(environment);
    const now = new Date().toISOString();
    try {
      await this.leases.create({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "Lease",
        metadata: { name, namespace, labels: { "stella.io/environment": environment } },
        spec: { holderIdentity: deployment, acquireTime: now, renewTime: now },
      });
      return { held: true };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    let lease: Lease;
    try {
      lease = await this.leases.get(name, { namespace });
    } catch (err) {
      if (isNotFound(err)) return this.acquire(namespace, environment, deployment, isLive);
      throw err;
    }
    const holder = lease.spec.holderIdentity ?? "";
    if (holder === deployment) return { held: true };
    if (holder && isLive(holder)) return { held: false, holder };
    try {
      await this.leases.update({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: deployment,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: (lease.spec.leaseTransitions ?? 0) + 1,
        },
      });
      return { held: true };
    } catch (err) {
      if (isConflict(err)) return { held: false, holder: holder || "another deployment" };
      throw err;
    }
  }

  /** Gives the lock up if `deployment` holds it. */
  async release(namespace: string, environment: string, deployment: string): Promise<void> {
    const name = lockName(environment);
    let lease: Lease;
    try {
      lease = await this.leases.get(name, { namespace });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (lease.spec.holderIdentity !== deployment) return;
    try {
      await this.leases.delete(name, { namespace, preconditions: { resourceVersion: lease.metadata.resourceVersion } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
