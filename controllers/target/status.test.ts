import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Target } from "../../crds/target.ts";
import type { ObservedUnit } from "../../sdk/plugins/driver.ts";
import { needsWrite, nextProbeIn, platformMessage, targetStatus } from "./status.ts";

const target = (status?: Target["status"], generation = 1): Target => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Target",
  metadata: { name: "t", namespace: "ns", generation },
  spec: { driver: "docker", docker: {} },
  status,
});

const unit = (name: string, id: string): ObservedUnit => ({
  id,
  name,
  namespace: "ns",
  target: "t",
  environment: "dev",
  release: "r1",
  deployment: "d1",
  component: name,
  slot: "blue",
  imageRef: "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64),
  state: "running",
  running: true,
  ports: [],
});

const platform = { name: "Docker Engine", version: "20.10.24", os: "linux", arch: "amd64" };

describe("platformMessage", () => {
  it("names what answered, its version and os/arch when known", () => {
    assert.equal(platformMessage(platform), "Docker Engine 20.10.24 linux/amd64");
    assert.equal(platformMessage({ name: "Nomad", version: "1.7.2" }), "Nomad 1.7.2");
    assert.equal(platformMessage({ name: "ECS", os: "linux" }), "ECS linux");
  });
});

describe("targetStatus", () => {
  it("a reachable target: Ready=True, platform, units in name order", () => {
    const s = targetStatus(
      target(),
      { reachable: true, platform, units: [unit("worker", "2"), unit("web", "1")] },
      "t1",
    );
    assert.deepEqual(s.conditions, [
      {
        type: "Ready",
        status: "True",
        reason: "Reachable",
        message: "Docker Engine 20.10.24 linux/amd64",
        observedGeneration: 1,
        lastTransitionTime: "t1",
      },
    ]);
    assert.deepEqual(s.platform, platform);
    assert.equal(s.lastProbeTime, "t1");
    assert.equal(s.observedGeneration, 1);
    assert.deepEqual(s.units, [
      {
        id: "1",
        component: "web",
        release: "r1",
        deployment: "d1",
        image: unit("web", "1").imageRef,
        state: "running",
      },
      {
        id: "2",
        component: "worker",
        release: "r1",
        deployment: "d1",
        image: unit("web", "1").imageRef,
        state: "running",
      },
    ]);
  });

  it("an unreachable target: Ready=False with the driver's reason; nothing observed is kept", () => {
    const before = targetStatus(target(), { reachable: true, platform, units: [unit("web", "1")] }, "t1");
    const s = targetStatus(
      target(before),
      { reachable: false, reason: "Unreachable", message: "connect ENOENT /nope.sock" },
      "t2",
    );
    assert.deepEqual(s.conditions, [
      {
        type: "Ready",
        status: "False",
        reason: "Unreachable",
        message: "connect ENOENT /nope.sock",
        observedGeneration: 1,
        lastTransitionTime: "t2",
      },
    ]);
    assert.equal(s.platform, undefined);
    assert.equal(s.units, undefined);
    const again = targetStatus(
      target(s),
      { reachable: false, reason: "Unreachable", message: "connect ENOENT /nope.sock" },
      "t3",
    );
    assert.equal(again.conditions?.[0].lastTransitionTime, "t2", "no flip, no new transition time");
  });

  it("keeps fields it does not own (agent)", () => {
    const s = targetStatus(target({ agent: "a1" }), { reachable: true, platform, units: [] }, "t1");
    assert.equal(s.agent, "a1");
    assert.equal(s.units, undefined);
  });
});

describe("needsWrite", () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const interval = 30_000;
  const base = 1_700_000_000_000;
  const probe = (status: Target["status"], ms: number, units = [unit("web", "1")]) =>
    targetStatus(target(status), { reachable: true, platform, units }, at(ms));

  it("writes the first probe", () => {
    assert.equal(needsWrite({}, probe(undefined, base), interval, base), true);
  });

  it("holds back a probe that only moves lastProbeTime, until it is an interval old", () => {
    const written = probe(undefined, base);
    assert.equal(needsWrite(written, probe(written, base + 1000), interval, base + 1000), false);
    assert.equal(needsWrite(written, probe(written, base + interval - 1), interval, base + interval - 1), false);
    assert.equal(needsWrite(written, probe(written, base + interval), interval, base + interval), true);
  });

  it("writes any other change at once", () => {
    const written = probe(undefined, base);
    assert.equal(
      needsWrite(written, probe(written, base + 10, [unit("web", "1"), unit("worker", "2")]), interval, base + 10),
      true,
    );
    const failed = targetStatus(
      target(written),
      { reachable: false, reason: "Unreachable", message: "down" },
      at(base + 10),
    );
    assert.equal(needsWrite(written, failed, interval, base + 10), true);
    assert.equal(
      needsWrite(written, { ...probe(written, base + 10), observedGeneration: 2 }, interval, base + 10),
      true,
    );
  });

  it("schedules the next probe for when lastProbeTime turns an interval old", () => {
    assert.equal(nextProbeIn(at(base), interval, base + 1000), interval - 1000);
    assert.equal(nextProbeIn(at(base), interval, base + interval + 5), 10);
    assert.equal(nextProbeIn(undefined, interval, base), interval);
  });
});
