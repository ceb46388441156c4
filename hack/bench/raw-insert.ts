// The baseline: raw single-row INSERTs on the same database engine, in the same run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { runConcurrent } from "./stats.ts";

const row = (i: number) =>
  JSON.stringify({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: { name: `raw-${i}`, namespace: "bench" },
    spec: { displayName: `raw ${i}` },
  });

/** Inserts n rows at the given concurrency into PostgreSQL; returns inserts per second. */
export async function rawPostgres(
  url: string,
  n: number,
  concurrency: number,
): Promise<{ perSecond: number; latencies: number[] }> {
  const sql = postgres(url, { max: concurrency, onnotice: () => {} });
  await sql`CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, name text NOT NULL, data jsonb NOT NULL)`;
  await sql`TRUNCATE bench_raw`;
  const r = await runConcurrent(n, concurrency, async (i) => {
    await sql`INSERT INTO bench_raw (name, data) VALUES (${`raw-${i}`}, ${row(i)}::jsonb)`;
  });
  await sql`DROP TABLE bench_raw`;
  await sql.end();
  return { perSecond: n / r.seconds, latencies: r.latencies };
}

/** Inserts n rows into a fresh PGlite directory (one connection, as Stella's embedded store). */
export async function rawPglite(n: number, concurrency: number): Promise<{ perSecond: number; latencies: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), "stella-bench-raw-"));
  const db = new PGlite(dir);
  await db.exec("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, name text NOT NULL, data jsonb NOT NULL)");
  const r = await runConcurrent(n, concurrency, async (i) => {
    await db.query("INSERT INTO bench_raw (name, data) VALUES ($1, $2::jsonb)", [`raw-${i}`, row(i)]);
  });
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: n / r.seconds, latencies: r.latencies };
}
