// What a driver's apply may read for a target and release: Secret values of the target's namespace
// and pull credentials from the target's and release's imagePullSecrets (loaded once, on the
// first pull that needs them). Shared by the deployment and canary controllers.
import type { Release } from "../../crds/release.ts";
import type { Secret } from "../../crds/secret.ts";
import type { Target } from "../../crds/target.ts";
import type { ApplyContext } from "../../sdk/plugins/driver.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { driverSecretReader } from "../drivers/index.ts";
import { loadPullCredentials } from "../oci/index.ts";
import type { Logger } from "../runtime/index.ts";

/** The apply context for `release` on `target`; `what` names the controller in progress logs. */
export function applyContextFor(
  secrets: ResourceClient<Secret>,
  log: Logger,
  what: string,
): (target: Target, release: Release) => ApplyContext {
  return (target, release) => {
    const ns = target.metadata.namespace ?? "default";
    let pulls: ReturnType<typeof loadPullCredentials> | undefined;
    return {
      secretValue: driverSecretReader(secrets, ns),
      pullCredential: async (registry) => {
        pulls ??= loadPullCredentials(secrets, ns, [
          ...(target.spec.imagePullSecrets ?? []),
          ...(release.spec.imagePullSecrets ?? []),
        ]);
        return (await pulls).for(registry)?.credentials;
      },
      progress: (message) => log.info(`${what} progress`, { target: `${ns}/${target.metadata.name}`, message }),
    };
  };
}
