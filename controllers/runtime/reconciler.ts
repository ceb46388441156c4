// The one interface a controller author implements, and the error that stops retries.
//
// Reconcilers are level-triggered: given only a namespace and name, they read the current state
// (from the informer cache), make the world match it, and write status through the status
// subresource. They never see the event that woke them.

/** Which object to reconcile. `namespace` is "" for cluster-scoped kinds. */
export interface Request {
  namespace: string;
  name: string;
}

/** What to do after a successful reconcile. Returning nothing means "done until something changes". */
export interface Result {
  /** Reconcile this object again after this many milliseconds (e.g. to poll an external system). */
  requeueAfter?: number;
}

/**
 * Brings one object's world in line with its spec. A thrown error retries the request with
 * per-item exponential backoff, unless it is a TerminalError.
 */
export interface Reconciler {
  reconcile(req: Request): Promise<Result | void>;
}

/** A failure that retrying cannot fix (invalid spec, missing permission by design): logged, not retried. */
export class TerminalError extends Error {
  override readonly name = "TerminalError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Whether `err` is a TerminalError (or wraps one as its cause). */
export function isTerminalError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++)
    if (e instanceof TerminalError) return true;
  return false;
}

/** The workqueue key of a request (`namespace/name`, or `name` when cluster-scoped). */
export const requestKey = (req: Request): string => (req.namespace ? `${req.namespace}/${req.name}` : req.name);
