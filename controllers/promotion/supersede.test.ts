import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { supersedingPromotion } from "./supersede.ts";
import { at, promotion } from "./testing/objects.ts";

describe("supersede", () => {
  const old = promotion("old", {}, { phase: "AwaitingApproval" }, at(1));
  it("lets the newest newer promotion to the same environment supersede one that has not deployed", () => {
    const newer = promotion("newer", { release: "r2" }, {}, at(2));
    const newest = promotion("newest", { release: "r3" }, { phase: "Evaluating" }, at(3));
    const elsewhere = promotion("elsewhere", { environment: "prod" }, {}, at(4));
    assert.equal(supersedingPromotion(old, [old, newer, newest, elsewhere])?.metadata.name, "newest");
  });

  it("supersedes nothing once deploying, and is not superseded by a newer promotion that ended without deploying", () => {
    const newer = promotion("newer", {}, {}, at(2));
    assert.equal(supersedingPromotion({ ...old, status: { phase: "Deploying" } }, [newer]), undefined);
    assert.equal(supersedingPromotion(old, [promotion("rej", {}, { phase: "Rejected" }, at(2))]), undefined);
    assert.equal(supersedingPromotion(old, [promotion("older", {}, {}, at(0))]), undefined);
    assert.equal(
      supersedingPromotion(old, [promotion("done", {}, { phase: "Succeeded" }, at(2))])?.metadata.name,
      "done",
    );
  });

  it("within one second of creation, takes the promotion that has not started yet as the newer", () => {
    const started = promotion(
      "zz-started",
      {},
      { phase: "AwaitingApproval", startedAt: "2025-01-01T12:01:00.400Z" },
      at(1),
    );
    const fresh = promotion("aa-fresh", {}, {}, at(1));
    assert.equal(supersedingPromotion(started, [fresh])?.metadata.name, "aa-fresh");
    assert.equal(supersedingPromotion(fresh, [started]), undefined);
  });
});
