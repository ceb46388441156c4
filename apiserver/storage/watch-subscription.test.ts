import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StorageError, StorageEvent, WatchHandlers } from "./types.ts";
import { WatchSubscription } from "./watch-subscription.ts";

const ev = (rv: number, resource = "r"): StorageEvent => ({
  rv,
  type: "ADDED",
  key: { resource, namespace: "", name: "n" },
  object: { metadata: {} },
  prev: null,
});
const tick = () => new Promise((r) => setImmediate(r));

function recorder(overrides: Partial<WatchHandlers> = {}) {
  const got = { events: [] as number[], progress: [] as number[], errors: [] as StorageError[] };
  const handlers: WatchHandlers = {
    onEvent: (e) => void got.events.push(e.rv),
    onProgress: (rv) => void got.progress.push(rv),
    onError: (err) => void got.errors.push(err),
    ...overrides,
  };
  return { got, handlers };
}

describe("WatchSubscription", () => {
  it("delivers backfill, then buffered live events, in order and once each", async () => {
    const { got, handlers } = recorder();
    const sub = new WatchSubscription(
      2,
      (e) => e.key.resource === "r",
      handlers,
      100,
      () => {},
    );
    sub.offerLive([ev(6), ev(7, "other"), ev(8)]);
    sub.offerBackfill([ev(3), ev(5)]);
    await tick();
    assert.deepEqual(got.events, [3, 5]);
    sub.goLive();
    sub.offerLive([ev(8), ev(9)]);
    await tick();
    assert.deepEqual(got.events, [3, 5, 6, 8, 9]);
  });

  it("skips events at or below its starting rv", async () => {
    const { got, handlers } = recorder();
    const sub = new WatchSubscription(
      10,
      () => true,
      handlers,
      100,
      () => {},
    );
    sub.goLive();
    sub.offerLive([ev(9), ev(10), ev(11)]);
    await tick();
    assert.deepEqual(got.events, [11]);
  });

  it("reports progress only when caught up and live, and only forward", async () => {
    const { got, handlers } = recorder();
    const sub = new WatchSubscription(
      5,
      () => true,
      handlers,
      100,
      () => {},
    );
    sub.progress(6);
    assert.deepEqual(got.progress, [], "not live yet");
    sub.goLive();
    sub.progress(5);
    sub.progress(7);
    sub.progress(7);
    sub.offerLive([ev(8)]);
    sub.progress(8);
    await tick();
    sub.progress(8);
    sub.progress(9);
    assert.deepEqual(got.progress, [7, 9]);
  });

  it("ends a watch that falls too far behind with Unavailable; close() ends without onError", async () => {
    const stuck = recorder({ onEvent: () => new Promise<void>(() => {}) });
    let ended = 0;
    const sub = new WatchSubscription(
      0,
      () => true,
      stuck.handlers,
      3,
      () => ended++,
    );
    sub.goLive();
    for (let rv = 1; rv <= 6; rv++) {
      sub.offerLive([ev(rv)]);
      await tick();
    }
    await sub.done;
    assert.deepEqual(
      stuck.got.errors.map((e) => e.code),
      ["Unavailable"],
    );
    assert.equal(ended, 1);
    const quiet = recorder();
    const other = new WatchSubscription(
      0,
      () => true,
      quiet.handlers,
      3,
      () => {},
    );
    other.close();
    await other.done;
    assert.deepEqual(quiet.got.errors, []);
  });

  it("a throwing handler ends the watch with Internal", async () => {
    const { got, handlers } = recorder({
      onEvent: () => {
        throw new Error("boom");
      },
    });
    const sub = new WatchSubscription(
      0,
      () => true,
      handlers,
      10,
      () => {},
    );
    sub.goLive();
    sub.offerLive([ev(1), ev(2)]);
    await sub.done;
    assert.deepEqual(
      got.errors.map((e) => e.code),
      ["Internal"],
    );
  });
});
