// A bound on how long the server works on one request (kube-apiserver's --request-timeout,
// 60 s by default). Past it the client gets 504 and the request's storage deadline fires, so a
// write still waiting (for a connection while PostgreSQL restarts, say) is never sent and never
// answered 201 later. A write the database had already committed stays committed: as with
// Kubernetes, a 504 means "outcome unknown", and the client reads before it retries.
import { timeout } from "../registry/storage-errors.ts";
import { withDeadline } from "../storage/deadline.ts";

/** kube-apiserver's default --request-timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Runs `fn` under a deadline of `ms`; rejects with a 504 Timeout Status when it passes first. */
export async function withRequestTimeout<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.abort();
      reject(timeout(`request did not complete within the allowed duration of ${ms / 1000}s`, 0));
    }, ms);
  });
  const work = withDeadline(deadline.signal, fn);
  // The work goes on in the background after a timeout; its outcome is nobody's answer any more.
  work.catch(() => {});
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
