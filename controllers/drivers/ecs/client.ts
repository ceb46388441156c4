// The ECS client the driver calls through: the official @aws-sdk/client-ecs, with the SDK's
// standard retry strategy (exponential backoff with jitter; it retries ThrottlingException, other
// throttling codes, 5xx and connection errors) given more attempts than its default; and ECS
// errors translated once into DriverErrors: refused credentials or permissions are Unauthorized
// and terminal, throttling and 5xx left after the retries are Unreachable and transient.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
import { ECSClient, ECSServiceException } from "@aws-sdk/client-ecs";
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";

/** Attempts per call, the first included, before a throttled or failing call gives up. */
export const MAX_ATTEMPTS = 6;

/** Where and as whom the driver calls ECS. */
export interface EcsConnection {
  region: string;
  cluster: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export function ecsClient(conn: EcsConnection): ECSClient {
  return new ECSClient({
    region: conn.region,
    ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
    ...(conn.credentials ? { credentials: conn.credentials } : {}),
    maxAttempts: MAX_ATTEMPTS,
    retryMode: "standard",
  });
}

const UNAUTHORIZED = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "IncompleteSignature",
  "MissingAuthenticationTokenException",
]);

/** Whether ECS answered with this error name (`ServiceNotFoundException`, ...). */
export const isEcsError = (err: unknown, name: string): boolean =>
  err instanceof ECSServiceException && err.name === name;

/** `err` as the driver reports it: DriverErrors for what a target's status should show. */
export function translate(err: unknown, what: string): unknown {
  if (err instanceof DriverError || (err as Error)?.name === "AbortError") return err;
  if (err instanceof ECSServiceException) {
    if (UNAUTHORIZED.has(err.name)) {
      return new DriverError(
        DriverReasons.Unauthorized,
        `ECS refused the credentials (${err.name}): ${err.message}`,
        false,
        { cause: err },
      );
    }
    const status = err.$metadata.httpStatusCode ?? 0;
    if (err.$retryable || status >= 500 || /Throttl/.test(err.name)) {
      return new DriverError(DriverReasons.Unreachable, `ECS ${what}: ${err.name}: ${err.message}`, true, {
        cause: err,
      });
    }
    if (err.name === "ClusterNotFoundException") {
      return new DriverError(DriverReasons.InvalidTarget, `ECS ${what}: ${err.message}`, false, { cause: err });
    }
    return new DriverError(DriverReasons.ApplyFailed, `ECS ${what}: ${err.name}: ${err.message}`, false, {
      cause: err,
    });
  }
  return new DriverError(DriverReasons.Unreachable, `ECS ${what}: ${(err as Error).message}`, true, { cause: err });
}

/** Runs one ECS call, translating its failure. */
export async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw translate(err, what);
  }
}
