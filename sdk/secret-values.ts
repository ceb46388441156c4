// Reading one key of a Secret through a client: credentials for a driver, an environment variable
// of a unit, a webhook's signing key, a metric provider's token. Values go to the caller and
// nowhere else: errors name the Secret and key, never a value.
import { isForbidden, isNotFound } from "../crds/errors.ts";
import type { Secret } from "../crds/secret.ts";
import type { ResourceClient } from "./resource-client.ts";

/** A reader of Secret keys in one namespace. */
export type SecretValueReader = (ref: { name: string; key?: string }) => Promise<string>;

/** A Secret key that could not be read. */
export class SecretValueError extends Error {
  override readonly name = "SecretValueError";
  constructor(
    /**
     * SecretNotFound: the Secret or key is missing (it may appear later); SecretForbidden: the reader may not read it.
     */
    readonly reason: "SecretNotFound" | "SecretForbidden",
    readonly secret: string,
    readonly key: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** Whether asking again later may succeed (someone may create the Secret or key). */
  get retryable(): boolean {
    return this.reason === "SecretNotFound";
  }
}

/** Reads `ref.key` (the first key when absent) of Secret `ref.name` in `namespace`; throws SecretValueError. */
export function secretValueReader(secrets: Pick<ResourceClient<Secret>, "get">, namespace: string): SecretValueReader {
  return async (ref) => {
    const shown = `Secret ${namespace}/${ref.name}`;
    let secret: Secret;
    try {
      secret = await secrets.get(ref.name, { namespace });
    } catch (err) {
      if (isNotFound(err)) throw new SecretValueError("SecretNotFound", ref.name, ref.key, `${shown} not found`);
      if (isForbidden(err))
        throw new SecretValueError("SecretForbidden", ref.name, ref.key, `${shown} may not be read by the controllers`);
      throw err;
    }
    const key = ref.key ?? Object.keys(secret.data ?? {})[0];
    const b64 = key === undefined ? undefined : secret.data?.[key];
    if (b64 === undefined)
      throw new SecretValueError("SecretNotFound", ref.name, ref.key, `${shown} has no key ${ref.key ?? "(none)"}`);
    return Buffer.from(b64, "base64").toString("utf8");
  };
}
