// Turning failed requests into typed errors: a Status body into ApiError (a body that is not a
// Status into an ApiError built from the HTTP code, as client-go does), a socket failure into
// ConnectionError with a reason a person understands.
import { ApiError, type StatusObject, type StatusReason } from "../crds/errors.ts";
import { ConnectionError, type ConnectionFailure } from "./errors.ts";

const REASONS: Record<number, StatusReason> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

const isStatus = (v: unknown): v is StatusObject =>
  typeof v === "object" &&
  v !== null &&
  (v as { kind?: unknown }).kind === "Status" &&
  typeof (v as { message?: unknown }).message === "string";

/** The ApiError for a non-2xx answer with body `text`. */
export function errorFromResponse(code: number, text: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isStatus(body))
    return ApiError.fromStatus({ ...body, code: body.code || code, reason: body.reason || reasonFor(code) });
  const snippet = text.trim().replace(/\s+/g, " ").slice(0, 200);
  return new ApiError(
    code,
    reasonFor(code),
    `the server answered ${code}${snippet ? `: ${snippet}` : " with no explanation"}`,
  );
}

/** The Status reason Kubernetes associates with an HTTP code. */
export const reasonFor = (code: number): StatusReason =>
  REASONS[code] ?? (code >= 500 ? "InternalError" : "BadRequest");

/** The ApiError carried by a watch ERROR event's object. */
export function errorFromStatus(object: unknown): ApiError {
  if (isStatus(object)) return ApiError.fromStatus({ ...object, reason: object.reason || reasonFor(object.code) });
  return new ApiError(
    500,
    "InternalError",
    `watch error event without a Status: ${JSON.stringify(object).slice(0, 200)}`,
  );
}

const FAILURES: Record<string, [ConnectionFailure, string]> = {
  ECONNREFUSED: ["refused", "connection refused"],
  ECONNRESET: ["reset", "connection reset by the server"],
  EPIPE: ["reset", "connection closed by the server"],
  ETIMEDOUT: ["timeout", "timed out waiting for the server"],
  ENOTFOUND: ["dns", "host not found"],
  EAI_AGAIN: ["dns", "host name lookup failed"],
  EHOSTUNREACH: ["refused", "host unreachable"],
  ENETUNREACH: ["refused", "network unreachable"],
  DEPTH_ZERO_SELF_SIGNED_CERT: [
    "tls",
    "the server's certificate is self-signed and not trusted (set certificate-authority)",
  ],
  SELF_SIGNED_CERT_IN_CHAIN: [
    "tls",
    "the server's certificate is signed by an untrusted CA (set certificate-authority)",
  ],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: [
    "tls",
    "the server's certificate is signed by an unknown CA (set certificate-authority)",
  ],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [
    "tls",
    "the server's certificate is signed by an unknown CA (set certificate-authority)",
  ],
  CERT_HAS_EXPIRED: ["tls", "the server's certificate has expired"],
  ERR_TLS_CERT_ALTNAME_INVALID: ["tls", "the server's certificate does not match its address"],
};

/** The ConnectionError for a socket-level failure talking to `server`. */
export function connectionError(server: string, err: unknown): ConnectionError {
  if (err instanceof ConnectionError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
  const known = FAILURES[code];
  if (known) return new ConnectionError(server, known[0], known[1], { cause: err });
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_"))
    return new ConnectionError(server, "tls", `TLS handshake failed (${code})`, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectionError(server, "other", message || code || "connection failed", { cause: err });
}
