import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../../crds/meta.ts";
import { evidencePacketStrategy as s } from "./evidence-packet.ts";

const packet = (extra: Record<string, unknown> = {}): StellaObject =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "EvidencePacket",
    metadata: { name: "p", ...extra },
    spec: { type: "Approval", decision: { outcome: "Approved" }, seal: { sequence: 9 } },
  }) as StellaObject;

test("a client's seal is dropped before validation", () => {
  const p = packet();
  s.defaults!(p);
  assert.equal((p.spec as { seal?: unknown }).seal, undefined);
});

test("owners are refused on create and update: evidence never cascades away with what it records", () => {
  const owned = packet({
    ownerReferences: [{ apiVersion: "release.stella.io/v1alpha1", kind: "Deployment", name: "d", uid: "u" }],
  });
  assert.deepEqual(
    s.validateCreate!(owned).map((c) => c.field),
    ["metadata.ownerReferences"],
  );
  assert.deepEqual(s.validateCreate!(packet()), []);
  assert.deepEqual(
    s.validateUpdate!(owned, packet(), undefined).map((c) => c.field),
    ["metadata.ownerReferences"],
  );
});

test("spec is immutable, deletion is refused with a reason, and non-canonicalizable spec is invalid", () => {
  const changed = packet();
  (changed.spec as { decision: { outcome: string } }).decision.outcome = "Rejected";
  assert.deepEqual(
    s.validateUpdate!(changed, packet(), undefined).map((c) => c.field),
    ["spec"],
  );
  assert.equal(
    s.forbidDelete!(packet(), async () => false),
    'evidencepackets "p" is write-once sealed evidence and can not be deleted',
  );
  const bad = packet();
  (bad.spec as { decision: { outcome: string } }).decision.outcome = "\ud800";
  assert.deepEqual(
    s.validateCreate!(bad).map((c) => c.field),
    ["spec"],
  );
});
