import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventRing } from "./event-ring.ts";
import type { StorageEvent } from "./types.ts";

const ev = (rv: number): StorageEvent => ({
  rv,
  type: "ADDED",
  key: { resource: "r", namespace: "", name: "n" },
  object: { metadata: {} },
  prev: null,
});
const rvs = (events: StorageEvent[] | undefined) => events?.map((e) => e.rv);

describe("EventRing", () => {
  it("returns the held events in a range, and undefined for what it does not hold", () => {
    const ring = new EventRing(4, 10);
    ring.append([ev(11), ev(13)], 14);
    assert.deepEqual(rvs(ring.slice(10, 14)), [11, 13]);
    assert.deepEqual(rvs(ring.slice(11, 13)), [13]);
    assert.deepEqual(rvs(ring.slice(14, 14)), []);
    assert.equal(ring.slice(9, 14), undefined, "below the floor");
    assert.equal(ring.slice(10, 15), undefined, "above the settled top");
  });

  it("evicts the oldest events beyond its capacity and raises its floor", () => {
    const ring = new EventRing(3, 0);
    for (let rv = 1; rv <= 10; rv++) ring.append([ev(rv)], rv);
    assert.equal(ring.floor, 7);
    assert.deepEqual(rvs(ring.slice(7, 10)), [8, 9, 10]);
    assert.equal(ring.slice(6, 10), undefined);
  });
});
