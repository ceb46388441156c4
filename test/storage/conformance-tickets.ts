// Conformance: one-time tickets (the dashboard's sign-in codes).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { it } from "node:test";
import { isStorageError } from "../../apiserver/storage/index.ts";
import type { ConformanceContext } from "./conformance.ts";

/** Registers the ticket cases. */
export function ticketCases(ctx: ConformanceContext): void {
  it("a ticket is taken once, with its payload as stored", async () => {
    const s = ctx.storage();
    const digest = randomUUID();
    const payload = { user: "alice", groups: ["ops"], grants: [{ namespace: "shop", role: "approver" }] };
    const expires = await s.putTicket({ digest, payload, ttlMs: 60_000 });
    assert.ok(Math.abs(expires.getTime() - (Date.now() + 60_000)) < 10_000, `expiry ${expires.toISOString()}`);
    assert.deepEqual(await s.takeTicket(digest), payload);
    assert.equal(await s.takeTicket(digest), undefined);
    assert.equal(await s.takeTicket(randomUUID()), undefined);
  });

  it("an expired ticket is not handed out, and a digest cannot be stored twice", async () => {
    const s = ctx.storage();
    const digest = randomUUID();
    await s.putTicket({ digest, payload: { n: 1 }, ttlMs: 0 });
    const live = randomUUID();
    await s.putTicket({ digest: live, payload: { n: 2 }, ttlMs: 60_000 });
    await assert.rejects(
      s.putTicket({ digest: live, payload: { n: 3 }, ttlMs: 60_000 }),
      (err) => isStorageError(err) && err.code === "KeyExists",
    );
    assert.equal(await s.takeTicket(digest), undefined);
    assert.deepEqual(await s.takeTicket(live), { n: 2 });
  });

  it("of many takes racing for one ticket exactly one gets it", async () => {
    const s = ctx.storage();
    const digest = randomUUID();
    await s.putTicket({ digest, payload: { n: 1 }, ttlMs: 60_000 });
    const taken = await Promise.all(Array.from({ length: 8 }, () => s.takeTicket(digest)));
    assert.equal(taken.filter((t) => t !== undefined).length, 1);
  });
}
