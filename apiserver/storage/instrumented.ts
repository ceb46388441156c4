// A Storage that reports how long each operation took (for the storage latency histogram of
// /metrics), delegating everything to another Storage.
import type { Storage } from "./types.ts";

/** Receives one timing: the operation's name and its duration in seconds. */
export type StorageObserver = (operation: string, seconds: number) => void;

const TIMED = [
  "get",
  "create",
  "update",
  "delete",
  "list",
  "currentRV",
  "compact",
  "appendAudit",
  "queryAudit",
  "queryAuditPage",
  "putTicket",
  "takeTicket",
  "ping",
] as const;

/** Wraps a storage so every timed operation is observed; watch and close pass straight through. */
export function instrumentStorage(inner: Storage, observe: StorageObserver): Storage {
  const wrapped: Record<string, unknown> = {};
  for (const op of TIMED) {
    const fn = (inner[op] as (...args: unknown[]) => Promise<unknown>).bind(inner);
    wrapped[op] = async (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return await fn(...args);
      } finally {
        observe(op, (performance.now() - t0) / 1000);
      }
    };
  }
  return {
    ...(wrapped as Pick<Storage, (typeof TIMED)[number]>),
    backend: inner.backend,
    watch: inner.watch.bind(inner),
    compactedRV: inner.compactedRV.bind(inner),
    close: inner.close.bind(inner),
  };
}
