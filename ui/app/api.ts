// Calls to the Stella API as the signed-in user. A non-2xx answer becomes an ApiFailure carrying
// the server's Status (reason, message), which screens show as the server said it.
import { clearSession, currentSession } from "./session.ts";

/** The API group the release kinds are served under. */
export const GROUP_PATH = "/apis/release.stella.io/v1alpha1";

/** The collection URL of `plural` in namespace `ns`. */
export const collectionPath = (ns: string, plural: string) =>
  `${GROUP_PATH}/namespaces/${encodeURIComponent(ns)}/${plural}`;

/** A refused or failed request, with the server's Status. */
export class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

/** Headers that authenticate as the signed-in user. */
export function authHeaders(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}

/** Turns a non-2xx response into an ApiFailure (and a 401 into a sign-out). */
export async function failure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => ({}))) as { reason?: string; message?: string };
  if (res.status === 401) clearSession();
  return new ApiFailure(res.status, body.reason ?? res.statusText, body.message ?? `HTTP ${res.status}`);
}

/** Sends a request as the signed-in user; resolves the decoded JSON body. */
export async function api<T>(method: string, path: string, body?: unknown, contentType = "application/json") {
  const headers: Record<string, string> = { accept: "application/json", ...authHeaders() };
  if (body !== undefined) headers["content-type"] = contentType;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/**
 * Creates `body` in `plural` of `ns` as the dashboard's field manager; with `dryRun` the server
 * judges the same request (role, grants, validation) and stores nothing.
 */
export const createObject = <T>(ns: string, plural: string, body: unknown, dryRun: boolean) =>
  api<T>("POST", `${collectionPath(ns, plural)}?fieldManager=stella-dashboard${dryRun ? "&dryRun=All" : ""}`, body);
