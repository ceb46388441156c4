// The storage conformance suite on PostgreSQL, each storage in a fresh database, plus what only
// a shared server has: several apiservers migrating one database at once. Skipped when
// PostgreSQL is not reachable, except under CI=true (hack/postgres.sh up starts it).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openStorage } from "../../apiserver/storage/index.ts";
import { runStorageConformance } from "./conformance.ts";
import { rvOf, thing } from "./objects.ts";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "./postgres-env.ts";

const skip = await postgresSkipReason();
const databases: TestDatabase[] = [];
after(async () => {
  for (const db of databases) await db.drop();
});

describe("postgres", { skip }, () => {
  runStorageConformance("postgres", async (options) => {
    const db = await createTestDatabase();
    databases.push(db);
    return openStorage({ backend: "postgres", url: db.url, poolSize: 5 }, options);
  });

  it("apiservers starting together on a fresh database migrate it once and share it", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const storages = await Promise.all(
      [1, 2, 3].map(() => openStorage({ backend: "postgres", url: db.url, poolSize: 2 }, { compactIntervalMs: 0 })),
    );
    try {
      const k = { resource: "shared", namespace: "default", name: "a" };
      const created = await storages[0].create(k, thing(k));
      for (const s of storages) assert.equal(rvOf((await s.get(k))!), rvOf(created));
      const listed = await storages[2].list({ resource: "shared" });
      assert.ok(listed.rv >= rvOf(created), "another process's list reads the write");
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });
});
