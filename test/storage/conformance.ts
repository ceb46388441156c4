// The storage conformance suite: one function, run against every backend (pglite.test.ts,
// postgres.test.ts). Each topic lives in its own file; they share one storage per suite and
// isolate themselves by resource name, except the tuned storage of the compaction topic.
import { after, before, describe } from "node:test";
import type { Storage, StorageOptions } from "../../apiserver/storage/index.ts";
import { auditCases } from "./conformance-audit.ts";
import { hostileAuditCases } from "./conformance-audit-hostile.ts";
import { compactionCases } from "./conformance-compaction.ts";
import { crudCases } from "./conformance-crud.ts";
import { listCases } from "./conformance-list.ts";
import { ticketCases } from "./conformance-tickets.ts";
import { watchCases } from "./conformance-watch.ts";

/** Opens a fresh, empty storage with these options. The suite closes what it opens. */
export type MakeStorage = (options?: StorageOptions) => Promise<Storage>;

/** What a topic's cases get: the shared storage, a fresh resource name, and the factory. */
export interface ConformanceContext {
  storage(): Storage;
  resource(): string;
  make: MakeStorage;
}

/** Registers the storage conformance suite for one backend. */
export function runStorageConformance(name: string, makeStorage: MakeStorage): void {
  describe(`storage conformance: ${name}`, () => {
    let storage: Storage | undefined;
    let n = 0;
    const ctx: ConformanceContext = {
      storage: () => storage!,
      resource: () => `things${n++}`,
      make: makeStorage,
    };
    before(async () => {
      storage = await makeStorage({ progressIntervalMs: 50, compactIntervalMs: 0, recentEvents: 20 });
    });
    after(async () => {
      await storage?.close();
    });
    describe("objects", () => crudCases(ctx));
    describe("list", () => listCases(ctx));
    describe("watch", () => watchCases(ctx));
    describe("audit", () => auditCases(ctx));
    describe("audit with hostile records", () => hostileAuditCases(ctx));
    describe("compaction and limits", () => compactionCases(ctx));
    describe("one-time tickets", () => ticketCases(ctx));
  });
}
