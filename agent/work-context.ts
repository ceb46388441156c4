// What the agent's local driver may read while applying work: Secret values, fetched from the
// server with the agent's own credential (which reaches only the Secrets its work references).
import type { Secret } from "../crds/secret.ts";
import { secretKind } from "../crds/secret.ts";
import type { Client } from "../sdk/client.ts";
import { DriverError, DriverReasons, type ApplyContext } from "../sdk/plugins/driver.ts";
import { SecretValueError, secretValueReader } from "../sdk/secret-values.ts";

/** An ApplyContext reading Secrets of `namespace` through `client`. */
export function workApplyContext(client: Client, namespace: string, signal?: AbortSignal): ApplyContext {
  const read = secretValueReader(client.resource<Secret>(secretKind), namespace);
  return {
    async secretValue(ref) {
      try {
        return await read(ref);
      } catch (err) {
        if (err instanceof SecretValueError)
          throw new DriverError(DriverReasons.SecretNotFound, err.message, err.retryable);
        throw err;
      }
    },
    pullCredential: async () => undefined,
    signal,
  };
}
