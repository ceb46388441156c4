// The storage's in-memory caches are bounded by the server's options (`stella server
// --list-cache`, `--watch-cache-events`), /metrics shows what each holds against its bound, and a
// small bound costs memory reads, never answers: lists stay complete and a watch from before the
// ring's reach gets every later event from the database.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";
import { openWatch } from "../watch-reader.ts";

const gauge = async (env: TestEnv, name: string): Promise<number> => {
  const m = await env.request("GET", "/metrics");
  const line = m.text.split("\n").find((l: string) => l.startsWith(`${name} `));
  assert.ok(line, `${name} is exported`);
  return Number(line.split(" ")[1]);
};

async function fill(env: TestEnv, n: number): Promise<string> {
  let firstRv = "";
  for (let i = 0; i < n; i++) {
    const r = await env.request("POST", collection("environments"), environment(`e${i}`));
    assert.equal(r.status, 201);
    if (i === 0) firstRv = r.body.metadata.resourceVersion;
  }
  return firstRv;
}

describe("cache bounds", () => {
  test("by default the list cache holds a listed resource and the ring recent events, under their bounds", async () => {
    const env = await startEnv();
    try {
      await fill(env, 30);
      const list = await env.request("GET", collection("environments"));
      assert.equal(list.body.items.length, 30);
      assert.equal(await gauge(env, "stella_storage_list_cache_limit_bytes"), 192 * 2 ** 20);
      assert.ok((await gauge(env, "stella_storage_list_cache_bytes")) > 30 * 200, "30 environments cached");
      assert.equal(await gauge(env, "stella_storage_recent_events_limit"), 10_000);
      assert.ok((await gauge(env, "stella_storage_recent_events")) >= 30);
    } finally {
      await env.stop();
    }
  });

  test("small bounds hold: lists stay complete and old watches are served from the database", async () => {
    const env = await startEnv({ listCacheBytes: 4096, watchCacheEvents: 100 });
    try {
      const firstRv = await fill(env, 130);
      const list = await env.request("GET", collection("environments"));
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort(),
        Array.from({ length: 130 }, (_, i) => `e${i}`).sort(),
      );
      assert.equal(await gauge(env, "stella_storage_list_cache_limit_bytes"), 4096);
      assert.ok((await gauge(env, "stella_storage_list_cache_bytes")) <= 4096);
      assert.equal(await gauge(env, "stella_storage_recent_events_limit"), 100);
      assert.equal(await gauge(env, "stella_storage_recent_events"), 100, "the ring is full at its bound");
      // From the first create: 129 later events, more than the ring holds.
      const w = await openWatch(env, `${collection("environments")}?watch=true&resourceVersion=${firstRv}`);
      assert.equal(w.status, 200);
      const names: string[] = [];
      for (let i = 1; i < 130; i++) names.push((await w.next()).object.metadata.name);
      assert.deepEqual(
        names,
        Array.from({ length: 129 }, (_, i) => `e${i + 1}`),
      );
      await w.close();
    } finally {
      await env.stop();
    }
  });
});
