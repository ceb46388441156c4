import assert from "node:assert/strict";
import { test } from "node:test";
import type { Agent } from "../../crds/agent.ts";
import type { Lease } from "../../crds/lease.ts";
import { agentHealth, needsWrite } from "./health.ts";

const agent = (spec: Agent["spec"] = { heartbeatInterval: "10s" }): Agent =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Agent",
    metadata: { name: "a", namespace: "n", generation: 1 },
    spec,
  }) as Agent;
const lease = (renewTime: string, leaseDurationSeconds = 30): Lease =>
  ({
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Lease",
    metadata: { name: "agent-a" },
    spec: { renewTime, leaseDurationSeconds },
  }) as Lease;
const T0 = Date.parse("2026-12-06T07:00:00Z");
const ready = (h: ReturnType<typeof agentHealth>) => h.status.conditions?.find((c) => c.type === "Ready");

test("Ready while within three heartbeats, with a recheck at the deadline", () => {
  const h = agentHealth(agent(), lease("2026-12-06T07:00:00.000Z"), ["t1"], T0 + 29_000);
  assert.equal(ready(h)?.status, "True");
  assert.equal(h.recheckIn, 1001);
  assert.equal(h.status.phase, "Connected");
  assert.deepEqual(h.status.targets, ["t1"]);
});

test("three missed heartbeats: NotReady HeartbeatMissed, naming the last one", () => {
  const h = agentHealth(agent(), lease("2026-12-06T07:00:00.000Z"), [], T0 + 31_000);
  assert.equal(ready(h)?.status, "False");
  assert.equal(ready(h)?.reason, "HeartbeatMissed");
  assert.match(ready(h)?.message ?? "", /since 2026-12-06T07:00:00.000Z \(3 heartbeats missed/);
  assert.equal(h.status.phase, "Disconnected");
});

test("no lease: NeverConnected; revoked wins over a fresh heartbeat", () => {
  assert.equal(ready(agentHealth(agent(), undefined, [], T0))?.reason, "NeverConnected");
  const revoked = agentHealth(agent({ revoked: true }), lease("2026-12-06T07:00:00.000Z"), [], T0);
  assert.equal(ready(revoked)?.reason, "Revoked");
  assert.equal(revoked.status.phase, "Revoked");
});

test("a newer heartbeat alone is written only once the stored one is a third of the deadline old", () => {
  const old = agentHealth(agent(), lease("2026-12-06T07:00:00.000Z"), [], T0).status;
  const soon = agentHealth({ ...agent(), status: old }, lease("2026-12-06T07:00:05.000Z"), [], T0 + 5_000).status;
  assert.equal(needsWrite(old, soon, 30_000), false);
  const later = agentHealth({ ...agent(), status: old }, lease("2026-12-06T07:00:10.000Z"), [], T0 + 10_000).status;
  assert.equal(needsWrite(old, later, 30_000), true);
});
