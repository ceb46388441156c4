// PostgreSQL for storage tests: a fresh database per suite, created through the role in
// STELLA_TEST_DATABASE_URL (default: what hack/postgres.sh up creates). When PostgreSQL is not
// reachable, suites are skipped locally and fail under CI=true.
import postgres from "postgres";

/** The maintenance URL: the test role and its database. */
export const TEST_DATABASE_URL =
  process.env.STELLA_TEST_DATABASE_URL ?? "postgres://stella:stella@127.0.0.1:5432/stella_test";

/** Why Postgres suites must be skipped (undefined: run them). Under CI=true an unreachable server throws instead. */
export async function postgresSkipReason(): Promise<string | undefined> {
  const sql = postgres(TEST_DATABASE_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return undefined;
  } catch (err) {
    const reason = `PostgreSQL not reachable at ${TEST_DATABASE_URL} (${(err as Error).message}); run hack/postgres.sh up`;
    if (process.env.CI === "true") throw new Error(`${reason} (CI=true: PostgreSQL suites must run)`);
    return reason;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** A database created for one suite. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let counter = 0;

/** Creates an empty database owned by the test role. */
export async function createTestDatabase(prefix = "stella_t"): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}
