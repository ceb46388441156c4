import { test } from "node:test";
import assert from "node:assert/strict";
import { isForbidden, isGone } from "../crds/errors.ts";
import type { StellaObject } from "../crds/meta.ts";
import { Client } from "./client.ts";
import { ConnectionError } from "./errors.ts";
import { FakeApiServer, until, widgetKind } from "./testing/fake-apiserver.ts";
import type { WatchEvent } from "./watch.ts";

const fast = { backoff: { initialMs: 5, maxMs: 20 } };

async function withFake(fn: (fake: FakeApiServer, client: Client) => Promise<void>): Promise<void> {
  const fake = await FakeApiServer.start();
  const client = Client.fromConfig({ server: fake.url });
  try {
    await fn(fake, client);
  } finally {
    client.close();
    await fake.stop();
  }
}

const describe = (e: WatchEvent<StellaObject>) =>
  e.type === "RELIST"
    ? `RELIST ${e.items.map((o) => o.metadata.name).join(",")}@${e.resourceVersion}`
    : e.type === "BOOKMARK"
      ? `BOOKMARK@${e.resourceVersion}`
      : `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`;

async function take(it: AsyncIterator<WatchEvent<StellaObject>>, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    assert.equal(r.done, false, `watch ended after ${out.join(" | ")}`);
    out.push(describe(r.value));
  }
  return out;
}

test("a watch without a resourceVersion lists first, then streams changes", async () => {
  await withFake(async (fake, client) => {
    fake.put("a");
    fake.put("b");
    const it = client.resource(widgetKind).watch({ namespace: "default", ...fast });
    assert.deepEqual(await take(it, 1), ["RELIST a,b@2"]);
    fake.put("a", { v: 2 });
    fake.remove("b");
    assert.deepEqual(await take(it, 2), ["MODIFIED a@3", "DELETED b@4"]);
    assert.equal(fake.watchRequests()[0].query.get("resourceVersion"), "2");
    await it.return(undefined);
    await until(() => fake.openWatches === 0);
  });
});

test("after a cut connection the watch resumes from the last resourceVersion, missing and repeating nothing", async () => {
  await withFake(async (fake, client) => {
    fake.put("a");
    const retries: unknown[] = [];
    const it = client.resource(widgetKind).watch({ namespace: "default", ...fast, onRetry: (e) => retries.push(e) });
    await take(it, 1);
    fake.put("b");
    assert.deepEqual(await take(it, 1), ["ADDED b@2"]);
    fake.cutWatches();
    fake.put("c");
    fake.put("d");
    assert.deepEqual(await take(it, 2), ["ADDED c@3", "ADDED d@4"]);
    const rvs = fake.watchRequests().map((r) => r.query.get("resourceVersion"));
    assert.deepEqual(rvs, ["1", "2"]);
    assert.ok(retries.length >= 1 && retries.every((e) => e instanceof ConnectionError));
    await it.return(undefined);
  });
});

test("bookmarks advance the resume point", async () => {
  await withFake(async (fake, client) => {
    const it = client.resource(widgetKind).watch({ namespace: "default", ...fast });
    await take(it, 1);
    fake.put("x");
    await take(it, 1);
    fake.advance(); // a write elsewhere: no event here, but a bookmark tells the watcher
    fake.bookmark();
    assert.deepEqual(await take(it, 1), ["BOOKMARK@2"]);
    fake.cutWatches();
    fake.put("y");
    assert.deepEqual(await take(it, 1), ["ADDED y@3"]);
    assert.deepEqual(
      fake.watchRequests().map((r) => r.query.get("resourceVersion")),
      ["0", "2"],
    );
    await it.return(undefined);
  });
});

test("410 Gone relists and hands over the whole new state as one RELIST event", async () => {
  await withFake(async (fake, client) => {
    fake.put("a");
    fake.put("b");
    const it = client.resource(widgetKind).watch({ namespace: "default", ...fast });
    await take(it, 1);
    const next = it.next();
    await until(() => fake.openWatches === 1);
    fake.cutWatches();
    fake.remove("a");
    fake.put("c");
    fake.compact(); // the watch's resourceVersion (2) is now out of the window
    assert.deepEqual(describe((await next).value as WatchEvent<StellaObject>), "RELIST b,c@4");
    fake.put("d");
    assert.deepEqual(await take(it, 1), ["ADDED d@5"]);
    await it.return(undefined);
  });
});

test("with relistOnExpired off, 410 is thrown as an ApiError", async () => {
  await withFake(async (fake, client) => {
    fake.put("a");
    fake.compact();
    const it = client
      .resource(widgetKind)
      .watch({ namespace: "default", resourceVersion: "0", relistOnExpired: false, ...fast });
    await assert.rejects(it.next(), (e) => isGone(e));
  });
});

test("with reconnect off, a cut is a ConnectionError and a clean end ends the iteration", async () => {
  await withFake(async (fake, client) => {
    const it = client.resource(widgetKind).watch({ namespace: "default", resourceVersion: "0", reconnect: false });
    const next = it.next();
    await until(() => fake.openWatches === 1);
    fake.cutWatches();
    await assert.rejects(next, (e) => e instanceof ConnectionError && e.failure === "reset");
    const undo = fake.intercept(
      (r) => r.query.get("watch") === "true",
      (res) => res.end(""),
    );
    const ended = client.resource(widgetKind).watch({ namespace: "default", resourceVersion: "0", reconnect: false });
    assert.equal((await ended.next()).done, true);
    undo();
  });
});

test("server faults are retried; refusals are thrown", async () => {
  await withFake(async (fake, client) => {
    let failures = 2;
    const undo = fake.intercept(
      (r) => r.query.get("watch") === "true" && failures > 0,
      (res) => {
        failures--;
        res.writeHead(503, { "content-type": "application/json" }).end(
          JSON.stringify({
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            code: 503,
            reason: "ServiceUnavailable",
            message: "busy",
          }),
        );
      },
    );
    const it = client.resource(widgetKind).watch({ namespace: "default", resourceVersion: "0", ...fast });
    fake.put("a");
    assert.deepEqual(await take(it, 1), ["ADDED a@1"]);
    assert.equal(failures, 0);
    undo();
    await it.return(undefined);

    fake.intercept(
      (r) => r.query.get("watch") === "true",
      (res) =>
        res.writeHead(403, { "content-type": "application/json" }).end(
          JSON.stringify({
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            code: 403,
            reason: "Forbidden",
            message: "no",
          }),
        ),
    );
    await assert.rejects(
      client
        .resource(widgetKind)
        .watch({ namespace: "default", resourceVersion: "0", ...fast })
        .next(),
      (e) => isForbidden(e),
    );
  });
});

test("aborting the signal ends the iteration quietly", async () => {
  await withFake(async (fake, client) => {
    const ac = new AbortController();
    const it = client.resource(widgetKind).watch({ namespace: "default", resourceVersion: "0", signal: ac.signal });
    const next = it.next();
    await until(() => fake.openWatches === 1);
    ac.abort();
    assert.equal((await next).done, true);
  });
});
