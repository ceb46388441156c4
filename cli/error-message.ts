// Failures as the one line a person reads: what went wrong and, where it helps, what to do.
import { ApiError } from "../crds/errors.ts";
import { ConnectionError, KubeconfigInvalidError, KubeconfigNotFoundError } from "../sdk/errors.ts";

/** How a failure reads on the command line (one line, no stack). */
export function errorMessage(err: unknown): string {
  if (err instanceof ConnectionError) {
    if (err.failure === "refused") return `cannot reach ${err.server}: ${err.problem} — is \`stella server\` running?`;
    return err.message;
  }
  if (err instanceof ApiError) return apiErrorMessage(err);
  if (err instanceof KubeconfigNotFoundError)
    return `no kubeconfig: ${err.path} does not exist — pass --kubeconfig FILE or set KUBECONFIG (stella server writes DATA_DIR/admin.kubeconfig)`;
  if (err instanceof KubeconfigInvalidError) return err.message;
  if (err instanceof Error) return firstLine(err.message);
  return firstLine(String(err));
}

/** An API error's message; 401 and 403 say what they mean for the user. */
export function apiErrorMessage(err: ApiError): string {
  const message = firstLine(err.message);
  if (err.code === 401) {
    const why = message.replace(/^Unauthorized:\s*/i, "");
    return `the server rejected the credentials (401 Unauthorized: ${why}) — the kubeconfig's token is wrong or expired; \`stella token create\` makes a new one`;
  }
  if (err.code === 403) return `forbidden (403): ${message.replace(/^Forbidden:\s*/i, "")}`;
  if (err.code >= 500) return `server error (${err.code} ${err.reason}): ${message}`;
  return message;
}

const firstLine = (s: string) => s.split("\n")[0].trim();
