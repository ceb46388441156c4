import { test } from "node:test";
import assert from "node:assert/strict";
import { ItemExponentialRateLimiter } from "./rate-limiter.ts";
import { WorkQueue } from "./workqueue.ts";

test("an item added many times is queued once", async () => {
  const q = new WorkQueue<string>();
  for (let i = 0; i < 5; i++) q.add("a");
  q.add("b");
  assert.equal(q.length, 2);
  assert.equal(await q.get(), "a");
  assert.equal(await q.get(), "b");
  assert.equal(q.length, 0);
  q.shutdown();
});

test("an item being processed is not handed to a second worker; re-added, it comes back after done", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  const first = await q.get();
  assert.equal(first, "a");
  q.add("a"); // changed again while a worker holds it
  assert.equal(q.length, 0, "not queued while processing");
  let second: string | undefined;
  const waiting = q.get().then((k) => (second = k));
  await new Promise((r) => setImmediate(r));
  assert.equal(second, undefined, "a second worker waits");
  q.done("a");
  await waiting;
  assert.equal(second, "a", "queued again by done()");
  q.done("a");
  assert.equal(q.inFlight, 0);
  q.shutdown();
});

test("many workers never hold the same key at once", async () => {
  const q = new WorkQueue<string>();
  const holding = new Set<string>();
  let handled = 0;
  let overlap = false;
  const worker = async () => {
    for (;;) {
      const key = await q.get();
      if (key === undefined) return;
      if (holding.has(key)) overlap = true;
      holding.add(key);
      await new Promise((r) => setImmediate(r));
      if (Math.random() < 0.5) q.add(key); // re-added while processing
      holding.delete(key);
      handled++;
      q.done(key);
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  for (let round = 0; round < 50; round++) for (const k of ["a", "b", "c"]) q.add(k);
  while (q.length > 0 || q.inFlight > 0) await new Promise((r) => setTimeout(r, 1));
  q.shutdown();
  await Promise.all(workers);
  assert.equal(overlap, false);
  assert.ok(handled >= 3);
});

test("addAfter delays an item, and the earliest pending time wins", async () => {
  const q = new WorkQueue<string>();
  q.addAfter("a", 60_000);
  q.addAfter("a", 5);
  assert.equal(q.length, 0, "not ready yet");
  assert.equal(await q.get(), "a");
  q.done("a");
  q.addAfter("b", 5);
  q.addAfter("b", 60_000); // later time does not postpone
  assert.equal(await q.get(), "b");
  q.shutdown();
});

test("addRateLimited backs off exponentially per item until forget", () => {
  const limiter = new ItemExponentialRateLimiter<string>(10, 1000);
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map(() => limiter.when("a")),
    [10, 20, 40, 80, 160, 320, 640, 1000],
  );
  assert.equal(limiter.when("b"), 10, "per item");
  assert.equal(limiter.numRequeues("a"), 8);
  limiter.forget("a");
  assert.equal(limiter.numRequeues("a"), 0);
  assert.equal(limiter.when("a"), 10);
});

test("the queue counts rate-limited retries and forgets them", async () => {
  const q = new WorkQueue<string>({ rateLimiter: new ItemExponentialRateLimiter(1, 4) });
  for (let i = 0; i < 3; i++) {
    q.addRateLimited("a");
    assert.equal(await q.get(), "a");
    q.done("a");
  }
  assert.equal(q.numRequeues("a"), 3);
  q.forget("a");
  assert.equal(q.numRequeues("a"), 0);
  q.shutdown();
});

test("shutdown wakes waiting workers, drops delayed items and refuses new ones", async () => {
  const q = new WorkQueue<string>();
  const waiting = q.get();
  q.addAfter("late", 60_000);
  q.shutdown();
  assert.equal(await waiting, undefined);
  q.add("x");
  assert.equal(await q.get(), undefined);
});

test("drained() resolves once the items in flight are done", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  const key = (await q.get())!;
  let drained = false;
  const d = q.drained().then(() => (drained = true));
  q.shutdown();
  await new Promise((r) => setImmediate(r));
  assert.equal(drained, false);
  q.done(key);
  await d;
  assert.equal(drained, true);
});
