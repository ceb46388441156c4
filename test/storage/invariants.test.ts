// The storage invariants of DESIGN.md, each proven against real databases:
//   1. concurrent writers in several processes; every watcher gets every event once, in order
//   2. every acknowledged write survives kill -9 (PostgreSQL and PGlite)
//   3. list rv + watch from it = exactly the later changes, under concurrent writers
//   4. compaction keeps the window bounded and writers keep succeeding while it runs
//   5. the conformance suite on both backends: pglite.test.ts and postgres.test.ts
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import {
  isStorageError,
  openStorage,
  type Storage,
  type StorageConfig,
  type StoredObject,
} from "../../apiserver/storage/index.ts";
import { readAcks, spawnChild } from "./child-process.ts";
import { runConcurrentWriters } from "./concurrent-writers.ts";
import { applyEvents, keyOf, rvOf } from "./objects.ts";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "./postgres-env.ts";
import { collect, waitFor, type Collector } from "./watch-collector.ts";

const skip = await postgresSkipReason();

describe("storage invariants on PostgreSQL", { skip }, () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  before(async () => {
    db = await createTestDatabase("stella_inv");
    sql = postgres(db.url, { max: 4, onnotice: () => {} });
  });
  after(async () => {
    await sql?.end({ timeout: 5 });
    await db?.drop();
  });

  it("1: 4+ writers in 2 processes, 10,000+ writes: every watcher in every process gets every event once, in rv order", async (t) => {
    const run = await runConcurrentWriters({
      url: db.url,
      resource: "items",
      processes: 2,
      writersPerProcess: 3,
      writesPerWriter: 1700,
    });
    const events = await sql<{ rv: number; type: string; namespace: string; name: string }[]>`
      SELECT rv::int AS rv, type, namespace, name FROM stella_events WHERE resource = 'items' AND rv > ${run.startRV} ORDER BY rv`;
    const expected = events.map((e) => [Number(e.rv), e.type, e.namespace, e.name]);
    assert.ok(run.acked.length >= 10_000, `${run.acked.length} acknowledged writes`);
    assert.deepEqual(
      [...run.acked].sort((a, b) => a - b),
      expected.map((e) => e[0]),
      "the event log holds exactly the acknowledged writes",
    );
    assert.ok(run.watchers.length >= 5);
    for (const [i, watched] of run.watchers.entries())
      assert.deepEqual(watched, expected, `watcher ${i} (${run.watcherNames[i]})`);
    // Replaying the events gives exactly the stored objects.
    const objects = await sql<{ namespace: string; name: string; rv: number }[]>`
      SELECT namespace, name, rv::int AS rv FROM stella_objects WHERE resource = 'items' ORDER BY namespace, name`;
    const replayed = applyEvents(new Map(), run.parentEvents);
    assert.deepEqual(
      [...replayed.entries()].map(([k, o]) => [k, rvOf(o)]).sort(),
      objects.map((o) => [`${o.namespace}/${o.name}`, Number(o.rv)]).sort(),
    );
    t.diagnostic(
      `${run.acked.length} writes by ${run.writers} writers in ${run.elapsedMs} ms: ${Math.round((run.acked.length * 1000) / run.elapsedMs)} writes/s; ${run.conflicts} conflicts retried`,
    );
  });

  it("1: the reader waits for a writer whose rv is older but whose xid is newer than a committed write's", async () => {
    // Writer A takes its xid after writer M, but its rv before M's. When M commits first, A's xid
    // is >= the snapshot's xmax, so it is absent from the snapshot's xip list: a reader trusting
    // xip alone would deliver M's event and lose A's. Steps are those of stella_write, by hand.
    const storage = await openStorage(
      { backend: "postgres", url: db.url },
      { compactIntervalMs: 0, pollIntervalMs: 10 },
    );
    const a = await sql.reserve();
    const m = await sql.reserve();
    try {
      const w = await collect(storage, { resource: "gap", sinceRV: await storage.currentRV() });
      const step = async (c: postgres.ReservedSql, q: string) => (await c.unsafe(q))[0] as Record<string, string>;
      const insert = (c: postgres.ReservedSql, rv: string, xid: string, name: string) =>
        c.unsafe(`INSERT INTO stella_events (rv, xid, type, resource, namespace, name, object)
                  VALUES (${rv}, '${xid}'::xid8, 'ADDED', 'gap', 'default', '${name}', '{"metadata":{"name":"${name}"}}')`);
      await step(m, "BEGIN");
      const xm = (await step(m, "SELECT pg_current_xact_id()::text AS x")).x;
      await step(a, "BEGIN");
      const xa = (await step(a, "SELECT pg_current_xact_id()::text AS x")).x;
      const rvA = (await step(a, "SELECT nextval('stella_rv')::text AS rv")).rv;
      const rvM = (await step(m, "SELECT nextval('stella_rv')::text AS rv")).rv;
      assert.ok(BigInt(xa) > BigInt(xm) && Number(rvA) < Number(rvM));
      await insert(m, rvM, xm, "m");
      await step(m, "COMMIT");
      await sql`SELECT pg_notify('stella_events', '')`;
      await new Promise((r) => setTimeout(r, 300)); // let the reader poll many times meanwhile
      assert.equal(w.events.length, 0, "nothing is delivered past an rv still in flight");
      await insert(a, rvA, xa, "a");
      await step(a, "COMMIT");
      await w.until(() => w.events.length >= 2);
      assert.deepEqual(
        w.events.map((e) => [e.rv, e.key.name]),
        [
          [Number(rvA), "a"],
          [Number(rvM), "m"],
        ],
      );
      // An aborted writer's rv is skipped as a whole range, not waited on forever.
      await step(a, "BEGIN");
      await step(a, "SELECT pg_current_xact_id()");
      await step(a, "SELECT nextval('stella_rv')");
      const after = rvOf(
        await storage.create({ resource: "gap", namespace: "default", name: "b" }, { metadata: { name: "b" } }),
      );
      await step(a, "ROLLBACK");
      await w.until(() => w.events.length >= 3);
      assert.equal(w.events[2].rv, after);
      w.watch.close();
    } finally {
      a.release();
      m.release();
      await storage.close();
    }
  });

  it("2: every acknowledged write survives kill -9 of the apiserver process (PostgreSQL)", async () => {
    await killAndVerify({ backend: "postgres", url: db.url }, "durable-pg");
  });

  it("3: list rv + watch from it = exactly the later changes, under concurrent writers", async () => {
    const storage = await openStorage(
      { backend: "postgres", url: db.url },
      { compactIntervalMs: 0, recentEvents: 200 },
    );
    try {
      const snapshots: Array<{ rv: number; items: Map<string, StoredObject>; watch: Collector }> = [];
      const taking = (async () => {
        // Lists taken while writers run: whole lists and paged lists (limit 7).
        for (let i = 0; i < 8; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const items = new Map<string, StoredObject>();
          let cont: string | undefined;
          let rv = 0;
          do {
            const page = await storage.list({ resource: "listed", limit: i % 2 ? 7 : undefined, continue: cont });
            for (const o of page.items) items.set(keyOf(o), o);
            rv = page.rv;
            cont = page.continue;
          } while (cont);
          snapshots.push({ rv, items, watch: await collect(storage, { resource: "listed", sinceRV: rv }) });
        }
      })();
      const run = await runConcurrentWriters({
        url: db.url,
        resource: "listed",
        processes: 2,
        writersPerProcess: 2,
        writesPerWriter: 400,
        keys: 30,
      });
      await taking;
      const final = await storage.list({ resource: "listed" });
      const last = Math.max(...run.acked);
      for (const [i, snap] of snapshots.entries()) {
        await snap.watch.until(() => snap.rv >= last || snap.watch.events.some((e) => e.rv >= last));
        snap.watch.watch.close();
        const replayed = applyEvents(snap.items, snap.watch.events);
        assert.deepEqual(replayed, new Map(final.items.map((o) => [keyOf(o), o])), `snapshot ${i}`);
      }
    } finally {
      await storage.close();
    }
  });

  it("4: compaction keeps the window bounded and writers keep succeeding while it runs", async (t) => {
    const window = 300;
    const storage = await openStorage(
      { backend: "postgres", url: db.url },
      { compactIntervalMs: 0, eventWindow: window },
    );
    try {
      let acked = 0;
      let writing = true;
      const writers = Promise.all(
        Array.from({ length: 4 }, (_, w) =>
          writeUntilStopped(
            storage,
            "compacted",
            w,
            () => writing,
            () => acked++,
          ),
        ),
      );
      let runs = 0;
      let dropped = 0;
      let ackedDuringCompaction = 0;
      while (runs < 40 || ackedDuringCompaction === 0) {
        const before = acked;
        const n = await storage.compact();
        if (n > 0) ackedDuringCompaction += acked - before;
        dropped += n;
        runs++;
        if (runs > 10_000) break;
      }
      writing = false;
      const errors = (await writers).flat();
      assert.deepEqual(errors, [], "no write failed while compaction ran");
      assert.ok(ackedDuringCompaction > 0, "writes were acknowledged while compaction was deleting");
      await storage.compact();
      const current = await storage.currentRV();
      const [{ n, min }] = await sql<
        { n: string; min: string | null }[]
      >`SELECT count(*)::text AS n, min(rv)::text AS min FROM stella_events WHERE rv <= ${current}`;
      assert.ok(Number(n) <= window, `${n} events retained, window ${window}`);
      assert.equal(await storage.compactedRV(), current - window);
      assert.ok(Number(min) > current - window);
      await assert.rejects(storage.watch({ sinceRV: current - window - 1 }, { onEvent: () => {} }), (err) =>
        isStorageError(err, "Expired"),
      );
      t.diagnostic(
        `${acked} writes, ${runs} compactions dropped ${dropped} events; ${ackedDuringCompaction} writes acknowledged during compactions`,
      );
    } finally {
      await storage.close();
    }
  });
});

describe("storage invariants on PGlite", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stella-durable-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("2: every acknowledged write survives kill -9 of the process owning the PGlite directory", async () => {
    const config: StorageConfig = { backend: "pglite", dataDir: join(dir, "db") };
    await killAndVerify(config, "durable-a");
    // The recovered directory takes writes again, and survives a second crash.
    await killAndVerify(config, "durable-b");
  });
});

// Runs an acker child on `config`, kills it with SIGKILL after some acknowledged writes, reopens
// the storage here and checks that every acknowledged write is there with its resourceVersion.
async function killAndVerify(config: StorageConfig, seed: string): Promise<void> {
  const child = spawnChild("acker", {
    storage: config,
    resource: "durable",
    writers: 4,
    seed: seed.length + seed.charCodeAt(seed.length - 1),
  });
  const acks = new Map<string, number>();
  readAcks(child.proc, (rv, name) => acks.set(name, rv));
  await waitFor(
    () => acks.size >= 400,
    120_000,
    () => `${acks.size} acks`,
  );
  child.proc.kill("SIGKILL");
  assert.equal(await child.exited, null, "killed by a signal");
  const storage: Storage = await openStorage(config, { compactIntervalMs: 0 });
  try {
    for (const [name, rv] of acks) {
      const got = await storage.get({ resource: "durable", namespace: "default", name });
      assert.ok(got, `acknowledged ${name} at ${rv} is missing after kill -9`);
      assert.equal(rvOf(got), rv);
    }
    assert.ok((await storage.currentRV()) >= Math.max(...acks.values()));
  } finally {
    await storage.close();
  }
}

// One in-process writer for the compaction test: creates and updates its own keys until told to stop.
async function writeUntilStopped(
  storage: Storage,
  resource: string,
  w: number,
  going: () => boolean,
  ack: () => void,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = 0; going(); i++) {
    const key = { resource, namespace: "default", name: `w${w}-${i % 20}` };
    try {
      const cur = await storage.get(key);
      const obj = { apiVersion: "test.stella.io/v1", kind: "Item", metadata: { name: key.name }, spec: { i } };
      if (cur) await storage.update(key, obj, rvOf(cur));
      else await storage.create(key, obj);
      ack();
    } catch (err) {
      errors.push(err);
    }
  }
  return errors;
}
