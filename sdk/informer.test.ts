import { test } from "node:test";
import assert from "node:assert/strict";
import { isForbidden } from "../crds/errors.ts";
import type { StellaObject } from "../crds/meta.ts";
import { Client } from "./client.ts";
import { Informer } from "./informer.ts";
import { FakeApiServer, until, widgetKind } from "./testing/fake-apiserver.ts";

const fast = { backoff: { initialMs: 5, maxMs: 20 } };

async function withInformer(
  fn: (fake: FakeApiServer, informer: Informer, log: string[]) => Promise<void>,
  errors: unknown[] = [],
): Promise<void> {
  const fake = await FakeApiServer.start();
  const client = Client.fromConfig({ server: fake.url });
  const informer = new Informer(client.resource(widgetKind), {
    namespace: "default",
    ...fast,
    onError: (e) => errors.push(e),
    indexers: { color: (o) => [String((o.spec as { color?: string }).color)] },
  });
  const log: string[] = [];
  const name = (o: StellaObject) => `${o.metadata.name}@${o.metadata.resourceVersion}`;
  informer.addHandler({
    onAdd: (o) => log.push(`add ${name(o)}`),
    onUpdate: (old, o) => log.push(`update ${name(old)}->${name(o)}`),
    onDelete: (o) => log.push(`delete ${name(o)}`),
  });
  try {
    await fn(fake, informer, log);
  } finally {
    await informer.stop();
    client.close();
    await fake.stop();
  }
}

test("the informer syncs the list into its indexed cache, then follows changes", async () => {
  await withInformer(async (fake, informer, log) => {
    fake.put("a", { color: "red" });
    fake.put("b", { color: "blue" });
    assert.equal(informer.hasSynced(), false);
    informer.start();
    assert.equal(await informer.waitForSync(), true);
    assert.deepEqual(log.splice(0).sort(), ["add a@1", "add b@2"]);
    assert.deepEqual(
      informer.cache.byIndex("color", "red").map((o) => o.metadata.name),
      ["a"],
    );
    fake.put("a", { color: "blue" });
    fake.remove("b");
    await until(() => log.length === 2);
    assert.deepEqual(log, ["update a@1->a@3", "delete b@4"]);
    assert.deepEqual(
      informer.cache.byIndex("color", "blue").map((o) => o.metadata.name),
      ["a"],
    );
    assert.equal(informer.resourceVersion, "4");
  });
});

test("a handler added late first hears of every cached object", async () => {
  await withInformer(async (fake, informer) => {
    fake.put("a");
    informer.start();
    await informer.waitForSync();
    const late: string[] = [];
    informer.addHandler({ onAdd: (o) => late.push(o.metadata.name!) });
    assert.deepEqual(late, ["a"]);
  });
});

test("after a cut the informer resumes without replaying what it saw", async () => {
  await withInformer(async (fake, informer, log) => {
    fake.put("a");
    informer.start();
    await informer.waitForSync();
    await until(() => fake.openWatches === 1);
    fake.cutWatches();
    fake.put("b");
    await until(() => log.length === 2);
    assert.deepEqual(log, ["add a@1", "add b@2"]);
    assert.equal(fake.requests.filter((r) => r.query.get("watch") !== "true").length, 1, "no second list");
  });
});

test("after 410 the relist becomes deletes, adds and updates of what changed only", async () => {
  await withInformer(async (fake, informer, log) => {
    fake.put("same");
    fake.put("changed");
    fake.put("deleted");
    informer.start();
    await informer.waitForSync();
    await until(() => fake.openWatches === 1);
    log.length = 0;
    fake.cutWatches();
    fake.put("changed", { v: 2 });
    fake.remove("deleted");
    fake.put("new");
    fake.compact();
    await until(() => log.length === 3);
    assert.deepEqual(log.sort(), ["add new@6", "delete deleted@3", "update changed@2->changed@4"]);
    assert.deepEqual(informer.cache.keys().sort(), ["default/changed", "default/new", "default/same"]);
  });
});

test("a refused list is reported and retried until it succeeds", async () => {
  const errors: unknown[] = [];
  await withInformer(async (fake, informer) => {
    fake.put("a");
    const undo = fake.intercept(
      () => true,
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
    informer.start();
    await until(() => errors.length >= 2);
    assert.equal(informer.hasSynced(), false);
    undo();
    assert.equal(await informer.waitForSync(), true);
    assert.ok(errors.every((e) => isForbidden(e)));
  }, errors);
});

test("stop before sync resolves waitForSync with false", async () => {
  await withInformer(async (fake, informer) => {
    fake.intercept(
      () => true,
      () => {},
    ); // never answers
    informer.start();
    const waiting = informer.waitForSync();
    await informer.stop();
    assert.equal(await waiting, false);
  });
});
