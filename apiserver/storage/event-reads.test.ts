import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { missingBetween } from "./event-reads.ts";
import type { StorageEvent } from "./types.ts";

const ev = (rv: number) => ({ rv }) as StorageEvent;

describe("missingBetween", () => {
  it("lists the rvs between the settled cursor and the last held event that are not held", () => {
    assert.deepEqual(missingBetween(4, []), []);
    assert.deepEqual(missingBetween(4, [ev(5), ev(6)]), []);
    assert.deepEqual(missingBetween(4, [ev(7), ev(9)]), [5, 6, 8]);
  });
});
