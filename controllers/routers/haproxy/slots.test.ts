import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RouterError } from "../../../sdk/plugins/router.ts";
import { canaryShare, sideSlots, type Slot, spread } from "./slots.ts";

const slot = (name: string, weight: number, ready = true): Slot => ({
  name,
  host: "127.0.0.1",
  port: 1,
  weight,
  ready,
});
const servers = { backend: "b", stable: "stable", canary: "canary" };

describe("HAProxy server slots", () => {
  it("spreads a side's points over its slots as evenly as whole numbers allow, keeping the total", () => {
    assert.deepEqual(spread(10, 4), [3, 3, 2, 2]);
    assert.deepEqual(spread(90, 3), [30, 30, 30]);
    assert.deepEqual(spread(1, 3), [1, 0, 0]);
    for (const [total, count] of [
      [7, 4],
      [100, 3],
      [0, 2],
    ])
      assert.equal(
        spread(total, count).reduce((a, b) => a + b, 0),
        total,
      );
  });

  it("finds a side's slots in order by number, and no other server's", () => {
    const slots = [slot("canary-10", 0), slot("stable-2", 0), slot("canary", 0), slot("canary-2", 0)];
    const more = [...slots, slot("canaryx", 0), slot("canary-", 0), slot("canary-0", 0), slot("stable", 0)];
    assert.deepEqual(
      sideSlots(more, "canary").map((s) => s.name),
      ["canary", "canary-2", "canary-10"],
    );
    assert.deepEqual(
      sideSlots(more, "stable").map((s) => s.name),
      ["stable", "stable-2"],
    );
  });

  it("reads the canary's share from the ready slots only", () => {
    const slots = [slot("stable", 45), slot("stable-2", 45), slot("stable-3", 99, false), slot("canary", 10)];
    assert.equal(canaryShare(slots, servers), 10);
    assert.throws(() => canaryShare([slot("stable", 0), slot("canary", 5, false)], servers), RouterError);
  });
});
