// Reading one key of a Secret for a driver (connection credentials) or a unit (an environment
// variable), through the controller's client. Values go to the caller and nowhere else: errors
// name the Secret and key, never a value.
import { isForbidden, isNotFound } from "../crds/errors.ts";
import type { Secret } from "../crds/secret.ts";
import { DriverError, DriverReasons } from "./plugins/driver.ts";
import type { ResourceClient } from "./resource-client.ts";

/** A reader of Secret keys in one namespace. */
export type SecretValueReader = (ref: { name: string; key?: string }) => Promise<string>;

/** Reads `ref.key` of Secret `ref.name` in `namespace`; a missing Secret or key is DriverError(SecretNotFound). */
export function secretValueReader(secrets: Pick<ResourceClient<Secret>, "get">, namespace: string): SecretValueReader {
  return async (ref) => {
    let secret: Secret;
    try {
      secret = await secrets.get(ref.name, { namespace });
    } catch (err) {
      if (isNotFound(err)) throw new DriverError(DriverReasons.SecretNotFound, `Secret ${namespace}/${ref.name} not found`, true);
      if (isForbidden(err)) throw new DriverError(DriverReasons.SecretNotFound, `Secret ${namespace}/${ref.name} may not be read by the controllers`, false);
      throw err;
    }
    const key = ref.key ?? Object.keys(secret.data ?? {})[0];
    const b64 = key === undefined ? undefined : secret.data?.[key];
    if (b64 === undefined) throw new DriverError(DriverReasons.SecretNotFound, `Secret ${namespace}/${ref.name} has no key ${ref.key ?? "(none)"}`, true);
    return Buffer.from(b64, "base64").toString("utf8");
  };
}
