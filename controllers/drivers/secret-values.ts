// Secret values as the Driver contract promises them: a key that cannot be read is a
// DriverError(SecretNotFound), retryable when the Secret or key may still appear.
import type { Secret } from "../../crds/secret.ts";
import { DriverError, DriverReasons } from "../../sdk/plugins/driver.ts";
import type { ResourceClient } from "../../sdk/resource-client.ts";
import { SecretValueError, secretValueReader, type SecretValueReader } from "../../sdk/secret-values.ts";

/** secretValueReader for drivers and units: SecretValueError becomes DriverError(SecretNotFound). */
export function driverSecretReader(secrets: Pick<ResourceClient<Secret>, "get">, namespace: string): SecretValueReader {
  const read = secretValueReader(secrets, namespace);
  return async (ref) => {
    try {
      return await read(ref);
    } catch (err) {
      if (err instanceof SecretValueError)
        throw new DriverError(DriverReasons.SecretNotFound, err.message, err.retryable);
      throw err;
    }
  };
}
