import { test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../sdk/client.ts";
import { InformerFactory } from "../../sdk/informer-factory.ts";
import { ItemExponentialRateLimiter } from "../../sdk/rate-limiter.ts";
import { FakeApiServer, until, widgetKind } from "../../sdk/testing/fake-apiserver.ts";
import { Controller, type ControllerOptions } from "./controller.ts";
import { silentLogger } from "./logger.ts";
import { generationChanged } from "./predicate.ts";
import { TerminalError, type Reconciler, type Request, type Result } from "./reconciler.ts";

async function withController(
  reconcile: (req: Request) => Promise<Result | void>,
  fn: (fake: FakeApiServer, c: Controller, calls: string[]) => Promise<void>,
  extra: Partial<ControllerOptions> = {},
): Promise<void> {
  const fake = await FakeApiServer.start();
  const client = Client.fromConfig({ server: fake.url });
  const informers = new InformerFactory(client, { backoff: { initialMs: 5, maxMs: 20 } });
  const calls: string[] = [];
  const reconciler: Reconciler = { reconcile: (req) => (calls.push(req.name), reconcile(req)) };
  const c = new Controller(informers, {
    name: "test",
    for: widgetKind,
    reconciler,
    log: silentLogger,
    rateLimiter: new ItemExponentialRateLimiter(1, 10),
    ...extra,
  });
  try {
    await fn(fake, c, calls);
  } finally {
    await c.stop();
    await informers.stop();
    client.close();
    await fake.stop();
  }
}

test("every object is reconciled once after sync, and again when it changes", async () => {
  await withController(
    async () => {},
    async (fake, c, calls) => {
      fake.put("a");
      fake.put("b");
      void c.start();
      await until(() => calls.length >= 2);
      assert.deepEqual(calls.sort(), ["a", "b"]);
      fake.put("a", { v: 2 });
      await until(() => calls.length >= 3);
      assert.equal(calls[2], "a");
      assert.equal(c.stats.reconciles, 3);
    },
  );
});

test("a failing reconcile is retried with backoff until it succeeds; a terminal error is not retried", async () => {
  let failures = 3;
  await withController(
    async (req) => {
      if (req.name === "flaky" && failures-- > 0) throw new Error("not yet");
      if (req.name === "broken") throw new TerminalError("spec cannot work");
    },
    async (fake, c, calls) => {
      fake.put("flaky");
      fake.put("broken");
      void c.start();
      await until(() => calls.filter((n) => n === "flaky").length >= 4);
      assert.equal(c.stats.errors, 3);
      assert.equal(c.queue.numRequeues("default/flaky"), 0, "forgotten after success");
      assert.equal(calls.filter((n) => n === "broken").length, 1);
      assert.equal(c.stats.terminalErrors, 1);
    },
  );
});

test("anything thrown, even a non-Error or a synchronous throw, is caught and retried", async () => {
  let n = 0;
  await withController(
    ((req: Request) => {
      n++;
      if (n === 1) throw "a string";
      if (n === 2) return Promise.reject(undefined);
      return Promise.resolve(req && undefined);
    }) as Reconciler["reconcile"],
    async (fake, c, calls) => {
      fake.put("a");
      void c.start();
      await until(() => calls.length >= 3);
      assert.equal(c.stats.errors, 2);
    },
  );
});

test("requeueAfter brings the object back", async () => {
  let rounds = 0;
  await withController(
    async () => (++rounds < 3 ? { requeueAfter: 5 } : undefined),
    async (fake, c, calls) => {
      fake.put("poll");
      void c.start();
      await until(() => calls.length >= 3);
      assert.equal(c.stats.requeueAfters, 2);
    },
  );
});

test("the generation-changed predicate ignores status-only updates", async () => {
  await withController(
    async () => {},
    async (fake, c, calls) => {
      fake.put("a", { v: 1 });
      void c.start();
      await until(() => calls.length >= 1);
      fake.put("a", { v: 1 }, { phase: "Ready" }); // status only: same generation
      fake.put("b"); // a marker that the status event has been seen
      await until(() => calls.length >= 2);
      assert.deepEqual(calls, ["a", "b"]);
      fake.put("a", { v: 2 });
      await until(() => calls.length >= 3);
      assert.equal(calls[2], "a");
    },
    { predicates: [generationChanged()] },
  );
});

test("workers are bounded, and one object is never reconciled twice at once", async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const active = new Set<string>();
  let overlap = false;
  await withController(
    async (req) => {
      if (active.has(req.name)) overlap = true;
      active.add(req.name);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      active.delete(req.name);
    },
    async (fake, c, calls) => {
      for (let i = 0; i < 20; i++) fake.put(`w${i}`);
      void c.start();
      for (let round = 0; round < 5; round++) for (let i = 0; i < 20; i++) fake.put(`w${i}`, { round });
      await until(
        () =>
          c.queue.length === 0 &&
          c.queue.inFlight === 0 &&
          calls.length >= 20 &&
          new Set(calls).size === 20 &&
          c.informer.resourceVersion === "120",
      );
      assert.equal(overlap, false);
      assert.equal(maxInFlight, 3);
    },
    { concurrency: 3 },
  );
});

test("stop waits for the reconciles in flight", async () => {
  let finished = false;
  let started = false;
  await withController(
    async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 30));
      finished = true;
    },
    async (fake, c) => {
      fake.put("slow");
      void c.start();
      await until(() => started);
      await c.stop();
      assert.equal(finished, true);
    },
  );
});

test("reconciles only once every cache of the process has synced, also one it reads but does not watch", async () => {
  const fake = await FakeApiServer.start();
  const client = Client.fromConfig({ server: fake.url });
  const informers = new InformerFactory(client, { backoff: { initialMs: 5, maxMs: 20 } });
  // A cache the reconciler reads without watching it (as the deployment controller reads Targets);
  // its LIST fails until `release` is called.
  const side = informers.informerFor(widgetKind, { labelSelector: "side=cache" });
  const release = fake.intercept(
    (r) => r.query.get("labelSelector") === "side=cache" && r.query.get("watch") !== "true",
    (res) => res.writeHead(500).end(),
  );
  const seen: boolean[] = [];
  const c = new Controller(informers, {
    name: "test",
    for: widgetKind,
    reconciler: { reconcile: async () => void seen.push(side.hasSynced()) },
    log: silentLogger,
  });
  try {
    fake.put("a");
    void c.start();
    await until(() => fake.requests.filter((r) => r.query.get("labelSelector") === "side=cache").length >= 3);
    assert.deepEqual(seen, [], "nothing is reconciled while a cache of the process has not synced");
    release();
    await until(() => seen.length >= 1);
    assert.deepEqual(seen, [true]);
  } finally {
    await c.stop();
    await informers.stop();
    client.close();
    await fake.stop();
  }
});
