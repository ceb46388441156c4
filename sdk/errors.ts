// The errors of the sdk that are not API answers, one class per failure, each with typed fields.
// API answers (any non-2xx Status) are `ApiError` from crds/errors.ts; callers branch on the
// class and its fields, never on message text.

/** Why a request never got an HTTP answer. */
export type ConnectionFailure =
  | "refused" // nothing listens there
  | "reset" // the connection dropped mid-request
  | "timeout" // no answer within the request timeout
  | "dns" // the host name does not resolve
  | "tls" // the server's certificate is not trusted or does not match
  | "other";

/** The server could not be reached, or the connection broke before an answer arrived. */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  constructor(
    /** The server URL as configured, e.g. `https://127.0.0.1:7443`. */
    readonly server: string,
    readonly failure: ConnectionFailure,
    /** What went wrong in words, e.g. "connection refused". */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach ${server}: ${problem}`, options);
  }
}

/** A 2xx answer (or a watch line) that is not the JSON the API promises. */
export class ResponseDecodeError extends Error {
  override readonly name = "ResponseDecodeError";
  constructor(
    readonly server: string,
    /** The request path. */
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${server}${path}: ${problem}`);
  }
}

/** A kubeconfig file that was named explicitly does not exist. */
export class KubeconfigNotFoundError extends Error {
  override readonly name = "KubeconfigNotFoundError";
  constructor(readonly path: string) {
    super(`kubeconfig ${path} does not exist`);
  }
}

/** A kubeconfig is not YAML, or lacks what is needed to reach the server. */
export class KubeconfigInvalidError extends Error {
  override readonly name = "KubeconfigInvalidError";
  constructor(
    /** The file at fault; for a merged configuration, the file that defines the entry (or all files). */
    readonly path: string,
    /**
     * The offending field path, e.g. `current-context` or `clusters[name="stella"].cluster.server`; "" for a YAML
     * syntax error.
     */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`kubeconfig ${path}: ${field ? `${field}: ` : ""}${problem}`);
  }
}
