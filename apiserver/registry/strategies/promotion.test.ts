import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../../crds/meta.ts";
import { promotionStrategy } from "./promotion.ts";

const promotion = (spec: Record<string, unknown>, phase?: string): StellaObject => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Promotion",
  metadata: { name: "p", namespace: "shop" },
  spec: { release: "shop-1-4-0", environment: "staging", ...spec },
  ...(phase ? { status: { phase } } : {}),
});
const requestedBy = (o: StellaObject) => (o.spec as { requestedBy?: unknown }).requestedBy;

test("create replaces any requestedBy sent with the requester, groups included when it has some", () => {
  const forged = promotion({ requestedBy: { username: "mallory", groups: ["admins"] } });
  promotionStrategy.prepareCreate!(forged, { username: "alice", groups: ["dev"] });
  assert.deepEqual(requestedBy(forged), { username: "alice", groups: ["dev"] });
  const plain = promotion({});
  promotionStrategy.prepareCreate!(plain, { username: "bob", groups: [] });
  assert.deepEqual(requestedBy(plain), { username: "bob" });
});

test("update keeps the stored requestedBy whether the client changed it, dropped it or never had it", () => {
  const old = promotion({ requestedBy: { username: "alice" } });
  for (const sent of [{ requestedBy: { username: "mallory" } }, {}]) {
    const next = promotion(sent);
    promotionStrategy.prepareUpdate!(next, old, undefined);
    assert.deepEqual(requestedBy(next), { username: "alice" });
  }
  const legacy = promotion({});
  const next = promotion({ requestedBy: { username: "mallory" } });
  promotionStrategy.prepareUpdate!(next, legacy, undefined);
  assert.equal(requestedBy(next), undefined);
});

test("a status write keeps the stored approvals, whatever it sends", () => {
  const bob = { user: { username: "bob" }, decision: "Approved", time: "2026-01-01T00:00:00Z" };
  const stored = { ...promotion({}, "AwaitingApproval"), status: { phase: "AwaitingApproval", approvals: [bob] } };
  const forged = { ...stored, status: { phase: "Deploying", approvals: [{ ...bob, user: { username: "carol" } }] } };
  promotionStrategy.prepareUpdate!(forged, stored, "status");
  assert.deepEqual(forged.status, { phase: "Deploying", approvals: [bob] });
  const dropped: StellaObject = { ...stored, status: undefined };
  promotionStrategy.prepareUpdate!(dropped, stored, "status");
  assert.deepEqual(dropped.status, { approvals: [bob] });
  const none: StellaObject = { ...promotion({}), status: { phase: "Evaluating", approvals: [bob] } };
  promotionStrategy.prepareUpdate!(none, promotion({}, "Evaluating"), "status");
  assert.deepEqual(none.status, { phase: "Evaluating" });
});
