// The storage conformance suite on PostgreSQL, each storage in a fresh database. Skipped when
// PostgreSQL is not reachable, except under CI=true (hack/postgres.sh up starts it).
import { after, describe } from "node:test";
import { openStorage } from "../../apiserver/storage/index.ts";
import { runStorageConformance } from "./conformance.ts";
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
});
