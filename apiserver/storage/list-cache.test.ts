import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeContinue } from "./continue-token.ts";
import { openPgliteExecutor } from "./pglite-executor.ts";
import { readPage } from "./list-query.ts";
import { SqlStorage } from "./sql-storage.ts";
import type { ListResult, ObjectKey, StoredObject } from "./types.ts";

// Differential: every page the cache serves equals the page the database reads at the same rv,
// across creates, updates and deletes in two namespaces, with limits, continue tokens taken
// before later writes (pages behind the cache), selectors, and cluster-wide lists.

const obj = (namespace: string, name: string, n: number): StoredObject => ({
  apiVersion: "v1",
  kind: "Thing",
  metadata: { namespace, name, labels: { parity: n % 2 ? "odd" : "even" } },
  spec: { n },
});

const names = (r: ListResult) =>
  (r.encodedItems?.map((t) => JSON.parse(Buffer.from(t).toString()) as StoredObject) ?? r.items).map(
    (o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}:${JSON.stringify(o.spec)}`,
  );

test("list pages from the cache equal the database's pages at the same resourceVersion", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stella-list-cache-"));
  const exec = await openPgliteExecutor(join(dir, "db"));
  const sqlExec = exec;
  const storage = await SqlStorage.open(exec, { compactIntervalMs: 0, recentEvents: 400 });
  try {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const live = new Map<string, number>();
    const write = async () => {
      const ns = rand(2) ? "a" : "b";
      const name = `o-${rand(40)}`;
      const key: ObjectKey = { resource: "things", namespace: ns, name };
      const id = `${ns}/${name}`;
      const rv = live.get(id);
      const rvOf = (o: StoredObject) => Number(o.metadata.resourceVersion);
      if (rv === undefined) live.set(id, rvOf(await storage.create(key, obj(ns, name, rand(100)))));
      else if (rand(3) === 0) {
        await storage.delete(key, rv);
        live.delete(id);
      } else live.set(id, rvOf(await storage.update(key, obj(ns, name, rand(100)), rv)));
    };
    for (let i = 0; i < 60; i++) await write();
    await storage.list({ resource: "things" }); // starts loading the cache
    await new Promise((r) => setTimeout(r, 100));
    const odd = (o: StoredObject) => (o.metadata.labels as Record<string, string>).parity === "odd";
    for (let round = 0; round < 8; round++) {
      for (const namespace of [undefined, "a", "b"]) {
        for (const filter of [undefined, odd]) {
          for (const limit of [undefined, 1, 7]) {
            let page = await storage.list({ resource: "things", namespace, filter, limit, encoded: true });
            const rv = page.rv;
            if (!filter) assert.ok(page.encodedItems, "served from the cache");
            let after: [string, string] = ["", ""];
            for (;;) {
              const request = { resource: "things", namespace: namespace ?? null, rv, after, filter, limit };
              const expected = await readPage(sqlExec, request);
              const where = `round ${round} ns ${namespace} filter ${!!filter} limit ${limit} after ${after}`;
              assert.deepEqual(names(page), names(expected), where);
              assert.equal(page.remainingItemCount, expected.remainingItemCount, where);
              assert.equal(!!page.continue, !!expected.continue, where);
              if (!page.continue) break;
              after = decodeContinue(page.continue, "things", namespace ?? null).after;
              await write(); // the next page is read behind the cache
              const next = { resource: "things", namespace, filter, limit, continue: page.continue, encoded: true };
              page = await storage.list(next);
            }
          }
        }
      }
      for (let i = 0; i < 15; i++) await write();
    }
  } finally {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
});
