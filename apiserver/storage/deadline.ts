// The deadline of the request a storage call serves, carried by AsyncLocalStorage so that the
// layers between the HTTP edge and the SQL need no extra parameter. Storage refuses to send a
// write once the deadline has passed, and cancels a statement still waiting for a connection:
// a request answered 504 must not be acknowledged (or applied) afterwards.
import { AsyncLocalStorage } from "node:async_hooks";
import { StorageError } from "./types.ts";

const deadlines = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` with `signal` as the deadline of every storage call it makes. */
export const withDeadline = <T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> => deadlines.run(signal, fn);

/** The deadline of the current request, if it has one. */
export const currentDeadline = (): AbortSignal | undefined => deadlines.getStore();

/** Throws StorageError Timeout when the current request's deadline has passed. */
export function checkDeadline(what: string): void {
  if (deadlines.getStore()?.aborted)
    throw new StorageError("Timeout", `${what}: the request's deadline passed before it was sent`);
}
