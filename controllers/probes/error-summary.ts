// How a failed probe connection reads in a ProbeResult message: a short phrase plus the errno
// code, e.g. `connection refused (ECONNREFUSED)`.
const PHRASES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host lookup failed",
  EPIPE: "connection closed",
};

/** A short description of a socket error for a probe message. */
export function errorSummary(err: Error & { code?: string }): string {
  if (err.code && PHRASES[err.code]) return `${PHRASES[err.code]} (${err.code})`;
  if (err.code) return `${err.message} (${err.code})`;
  return err.message;
}
